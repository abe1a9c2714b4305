/**
 * Made-up names for synthetic patients (the demo's caseload and the sample caseload
 * spreadsheet), so no real person's record is ever imitated.
 */
export const SYNTHETIC_GIVEN_NAMES: readonly string[] = [
  'Amira',
  'Ben',
  'Chloe',
  'Dev',
  'Ellen',
  'Farid',
  'Grace',
  'Harry',
  'Isla',
  'Jamal',
  'Kira',
  'Liam',
  'Maya',
  'Noah',
  'Olive',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
];

export const SYNTHETIC_FAMILY_NAMES: readonly string[] = [
  'Adebayo',
  'Brennan',
  'Chowdhury',
  'Davies',
  'Evans',
  'Fletcher',
  'Gill',
  'Hughes',
  'Iqbal',
  'Jones',
  'Khan',
  'Lewis',
  'Morgan',
  'Nowak',
  'Okafor',
  'Patel',
  'Roberts',
  'Singh',
  'Taylor',
  'Williams',
];
