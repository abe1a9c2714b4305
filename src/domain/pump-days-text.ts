/**
 * How many days are left before a date, or how long it is overdue, in words people read at a
 * glance: "44 days overdue", "due today", "3 days left". A bare signed number ("Days left −44")
 * reads as a typing slip and is easy to misread as 44 days in hand (hazard H-072).
 */

const days = (n: number): string => `${String(n)} day${n === 1 ? '' : 's'}`;

/** `daysLeft` from today to the due date: negative when the date has passed. */
export function dueText(daysLeft: number): string {
  if (daysLeft < 0) {
    return `${days(-daysLeft)} overdue`;
  }
  return daysLeft === 0 ? 'due today' : `${days(daysLeft)} left`;
}

/** A paused pump counts the days to its resume date: "resume 3 days overdue", "resume today". */
export function resumeText(daysLeft: number): string {
  if (daysLeft < 0) {
    return `resume ${days(-daysLeft)} overdue`;
  }
  return daysLeft === 0 ? 'resume today' : `${days(daysLeft)} to resume`;
}

/** The first letter in capitals, for a text that starts a sentence or a cell. */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
