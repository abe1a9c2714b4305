import { dueText, resumeText, sentenceCase } from '../../../domain/pump-days-text.ts';
import type { WorklistEntry } from '../../../services/worklist-service.ts';

/** The worklist's days in words, shared by the page and the API. */

/** "44 days overdue", "Due today", "3 days left"; for a paused pump, the days to its resume date. */
export function worklistDaysText(e: WorklistEntry): string | null {
  const left = e.standing.daysLeft;
  if (left === null) {
    return null;
  }
  return sentenceCase(e.pause ? resumeText(left) : dueText(left));
}

/** "2 weeks review: 12 days overdue", "6 weeks review: due today"; null when not due this week. */
export function reviewText(e: WorklistEntry): string | null {
  if (e.review.status === 'later') {
    return null;
  }
  return `${e.review.label}: ${dueText(e.review.daysLeft)}`;
}
