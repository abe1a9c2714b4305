/** Refusals of the MRI workflow: the plan, the scan and the post-scan check. */
export const MRI_REFUSALS = {
  MRI_PLAN_OPEN:
    'The pump already has an MRI planned or a post-scan check waiting: finish or cancel it first',
  MRI_NOT_PLANNED: 'The MRI is no longer planned: its scan is recorded, or it was cancelled',
  MRI_SCAN_NOT_RECORDED: 'The scan has not been recorded yet, or the MRI was cancelled',
  MRI_CHECK_DONE: 'The post-scan check has already been recorded',
  MRI_REFILL_NOT_RECORDED:
    'A pump emptied for MRI must be refilled after the scan: record the refill first, then the check',
} as const;
