/**
 * Where the storage layer reports what it recovers from by itself (a lost PostgreSQL connection,
 * a rollback that failed after the error that caused it). One line each, with the host or the
 * real cause, never a stack trace. Before the web server's logger exists it is standard error;
 * `itb serve` hands over to the logger once the app is built (DatabaseHandle.setLog).
 */
export interface DatabaseLog {
  warn(message: string): void;
}

export const stderrDatabaseLog: DatabaseLog = {
  warn: (message) => {
    process.stderr.write(`${message}\n`);
  },
};

/** A log whose destination can be changed after the handle that writes to it was made. */
export class SwitchableDatabaseLog implements DatabaseLog {
  #target: DatabaseLog;
  constructor(target: DatabaseLog) {
    this.#target = target;
  }
  switchTo(target: DatabaseLog): void {
    this.#target = target;
  }
  warn(message: string): void {
    this.#target.warn(message);
  }
}
