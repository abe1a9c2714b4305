import type { Role } from '../domain/roles.ts';

/** Demo accounts, one per role, listed on the demo sign-in page. Only ever created in a
 * throwaway demo database (see demo/seed-demo.ts). */
export const DEMO_ACCOUNTS: readonly {
  username: string;
  password: string;
  role: Role;
  displayName: string;
}[] = [
  {
    username: 'demo.admin',
    password: 'demo-admin-password',
    role: 'administrator',
    displayName: 'Alex Admin (demo)',
  },
  {
    username: 'demo.consultant',
    password: 'demo-consultant-password',
    role: 'consultant',
    displayName: 'Dr Casey Consultant (demo)',
  },
  {
    username: 'demo.nurse',
    password: 'demo-nurse-password',
    role: 'nurse-specialist',
    displayName: 'Nia Nurse (demo)',
  },
  {
    username: 'demo.physio',
    password: 'demo-physio-password',
    role: 'physiotherapist',
    displayName: 'Pat Physio (demo)',
  },
  {
    username: 'demo.booking',
    password: 'demo-booking-password',
    role: 'booking-coordinator',
    displayName: 'Bo Booking (demo)',
  },
  {
    username: 'demo.manager',
    password: 'demo-manager-password',
    role: 'service-manager',
    displayName: 'Morgan Manager (demo)',
  },
  {
    username: 'demo.emergency',
    password: 'demo-emergency-password',
    role: 'emergency-clinician',
    displayName: 'Dr Emery Emergency (demo)',
  },
];
