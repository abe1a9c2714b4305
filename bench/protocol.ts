/** Messages between patient-page.bench.ts and its bench-server.ts child, over the IPC channel. */
export type ChildMessage =
  | {
      readonly type: 'ready';
      /** The authenticated patient page, GET /patients/:id. */
      readonly realUrl: string;
      /** The bare route doing the page's database read and audit write (the patient overview). */
      readonly bareUrl: string;
      /** The bare route reading the patient's row alone and writing the audit row (for the record). */
      readonly bareRowUrl: string;
      /** The session cookie, `name=value`. */
      readonly cookie: string;
      /** Text the patient page shows only when it really rendered the record. */
      readonly patientName: string;
      readonly realDurability: string;
      readonly bareDurability: string;
    }
  | {
      readonly type: 'checked';
      readonly realAuditRows: number;
      readonly realChainOk: boolean;
      readonly bareAuditRows: number;
      readonly bareChainOk: boolean;
    };

export type ParentMessage = { readonly type: 'check' } | { readonly type: 'stop' };
