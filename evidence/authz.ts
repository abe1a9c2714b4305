import type { Section } from './figure.ts';

/** Placeholder until the authz section is merged from its own branch: it measures nothing yet. */
export const authzSection: Section = async () => Promise.resolve([]);
