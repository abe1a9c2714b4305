import type { Section } from './figure.ts';

/** Placeholder until the fuzz section is merged from its own branch: it measures nothing yet. */
export const fuzzSection: Section = async () => Promise.resolve([]);
