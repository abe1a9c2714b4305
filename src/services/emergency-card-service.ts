import { randomUUID } from 'node:crypto';
import type { PlainDate } from '../domain/calendar-date.ts';
import type { DocumentContactSettings } from '../domain/document-contacts.ts';
import {
  cardChanges,
  emergencyCardPanels,
  type CardFactChange,
  type EmergencyCardFacts,
} from '../domain/emergency-card.ts';
import type { PumpModel } from '../domain/pump-device.ts';
import { missingServiceContacts } from '../domain/service-contacts.ts';
import {
  CardOverflowError,
  fitCardPanels,
  renderEmergencyCardPdf,
} from '../letters/render-emergency-card-pdf.ts';
import type { Db, Trx } from '../storage/database.ts';
import {
  findEmergencyCard,
  insertEmergencyCard,
  listEmergencyCards,
  type EmergencyCard,
} from '../storage/emergency-cards.repository.ts';
import type { Patient } from '../storage/patients.repository.ts';
import { findActivePrescription, type Prescription } from '../storage/prescriptions.repository.ts';
import { listPumpsForPatient, type Pump } from '../storage/pumps.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { AppError, refused } from './app-error.ts';
import { actorEvent, appendAudit, recordAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { contactsForDocuments } from './document-contacts.ts';
import { loadPatient } from './patient-service.ts';
import { loadPump, modelOf, type PumpServiceDeps } from './pump-store.ts';
import { requirePermission } from './permission-check.ts';

/**
 * Emergency cards: issue one (a snapshot of the facts it prints, audited), list a pump's cards
 * with what has changed since each, download one as printed, and the card's standing for the
 * patient and pump pages. A card that shows an old dose, concentration or number misleads the
 * clinician treating the patient, so the pages flag it and prompt a new one (hazard H-120).
 */

export interface EmergencyCardDeps extends PumpServiceDeps {
  readonly config: PumpServiceDeps['config'] & {
    readonly service: DocumentContactSettings & {
      readonly name: string;
      readonly addressLines: readonly string[];
      readonly outOfHours: { readonly phone: string; readonly text: string };
    };
  };
}

/** What a card would print today; null with the reason when no card can be issued. */
export type CurrentCardFacts =
  | { readonly facts: EmergencyCardFacts; readonly blocked: null }
  | {
      readonly facts: null;
      readonly blocked: { readonly reason: CardBlockReason; readonly message: string };
    };

type CardBlockReason =
  'CARD_NEEDS_IMPLANTED_PUMP' | 'CARD_NEEDS_PRESCRIPTION' | 'LETTERS_NEED_SERVICE_CONTACTS';

export function currentCardFacts(
  deps: EmergencyCardDeps,
  patient: Patient,
  pump: Pump,
  model: PumpModel,
  active: Prescription | null,
): CurrentCardFacts {
  if (pump.state !== 'implanted') {
    return {
      facts: null,
      blocked: {
        reason: 'CARD_NEEDS_IMPLANTED_PUMP',
        message: 'An emergency card is issued only for an implanted pump',
      },
    };
  }
  if (!active) {
    return {
      facts: null,
      blocked: {
        reason: 'CARD_NEEDS_PRESCRIPTION',
        message: 'The pump has no confirmed prescription: the card would have no dose to print',
      },
    };
  }
  const missing = missingServiceContacts(deps.config.service);
  if (missing.length > 0) {
    return {
      facts: null,
      blocked: {
        reason: 'LETTERS_NEED_SERVICE_CONTACTS',
        message: `No card can be made until ${missing.map((m) => `${m.variable} (${m.label})`).join(' and ')} is set`,
      },
    };
  }
  return {
    blocked: null,
    facts: {
      patientName: `${patient.givenName} ${patient.familyName}`,
      nhsNumber: patient.nhsNumber,
      dateOfBirth: patient.dateOfBirth as PlainDate,
      pumpModel: model.name,
      pumpManufacturer: model.manufacturer,
      pumpSerial: pump.serialNumber,
      implantedOn: pump.implantedOn,
      drug: active.drug,
      concentrationMcgPerMl: active.concentrationMcgPerMl,
      doseMcgPerDay: active.doseMcgPerDay,
      contacts: contactsForDocuments(deps.config),
    },
  };
}

/** A pump's newest card and what it printed that is no longer true; null when none was issued. */
export interface CardStanding {
  readonly latest: EmergencyCard | null;
  /** Empty when the newest card is up to date; compared with today's facts. */
  readonly changes: readonly CardFactChange[];
}

/** The card standing for pages that already hold the pump, patient and prescription (no audit). */
export async function cardStanding(
  db: Db | Trx,
  deps: EmergencyCardDeps,
  patient: Patient,
  pump: Pump,
  active: Prescription | null,
): Promise<CardStanding> {
  const latest = (await listEmergencyCards(db, pump.id))[0] ?? null;
  if (!latest) {
    return { latest: null, changes: [] };
  }
  const now = currentCardFacts(deps, patient, pump, modelOf(pump), active);
  return { latest, changes: now.facts ? cardChanges(latest.facts, now.facts) : [] };
}

/**
 * The card standing of each implanted pump of a patient, for the patient and pump pages, which
 * audit their own view of the record; this read is part of that view.
 */
export async function cardStandingsForPatient(
  deps: EmergencyCardDeps,
  patientId: string,
): Promise<ReadonlyMap<string, CardStanding>> {
  const patient = await loadPatient(deps.db, patientId);
  const implanted = [];
  for (const pump of await listPumpsForPatient(deps.db, patientId)) {
    if (pump.state === 'implanted') {
      implanted.push({ pump, active: await findActivePrescription(deps.db, pump.id) });
    }
  }
  return cardStandingsOf(deps, patient, implanted);
}

/**
 * The same standings from a patient and implanted pumps the page has read already (the patient
 * overview holds them with each pump's prescription in force), so they are not read twice.
 */
export async function cardStandingsOf(
  deps: EmergencyCardDeps,
  patient: Patient,
  implanted: readonly { readonly pump: Pump; readonly active: Prescription | null }[],
): Promise<ReadonlyMap<string, CardStanding>> {
  const standings = new Map<string, CardStanding>();
  for (const { pump, active } of implanted) {
    standings.set(pump.id, await cardStanding(deps.db, deps, patient, pump, active));
  }
  return standings;
}

export async function issueEmergencyCard(
  deps: EmergencyCardDeps,
  actor: Actor,
  pumpId: string,
): Promise<EmergencyCard> {
  requirePermission(actor, 'pump:manage', 'Only clinicians who manage pumps can issue an emergency card');
  return deps.db.transaction().execute(async (trx) => {
    const pump = await loadPump(trx, pumpId);
    const [patient, active] = await Promise.all([
      loadPatient(trx, pump.patientId),
      findActivePrescription(trx, pumpId),
    ]);
    const now = currentCardFacts(deps, patient, pump, modelOf(pump), active);
    if (now.blocked) {
      throw refused(now.blocked.reason, now.blocked.message);
    }
    const issuedOn = serviceToday(deps);
    try {
      fitCardPanels(emergencyCardPanels(now.facts, issuedOn));
    } catch (error) {
      if (error instanceof CardOverflowError) {
        throw refused(
          'CARD_TEXT_TOO_LONG',
          `The card's "${error.panelId}" panel does not fit even at the smallest print size: shorten the record or setting it shows`,
        );
      }
      throw error;
    }
    const card: EmergencyCard = {
      id: randomUUID(),
      patientId: patient.id,
      pumpId: pump.id,
      issuedAt: deps.clock.now().toISOString(),
      issuedOn,
      issuedBy: actor.userId,
      facts: now.facts,
    };
    await insertEmergencyCard(trx, card);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'emergency-card.issue',
        outcome: 'success',
        entityType: 'emergency-card',
        entityId: card.id,
        patientId: patient.id,
        details: {
          pumpId: pump.id,
          doseMcgPerDay: card.facts.doseMcgPerDay,
          concentrationMcgPerMl: card.facts.concentrationMcgPerMl,
        },
      }),
    );
    return card;
  });
}

export interface IssuedCard extends EmergencyCard {
  readonly issuedByName: string;
  /** What this card printed that is no longer true today. */
  readonly changes: readonly CardFactChange[];
}

export interface PumpCards {
  readonly patient: Patient;
  readonly pump: Pump;
  readonly model: PumpModel;
  /** Newest first. */
  readonly cards: readonly IssuedCard[];
  /** What a card issued now would print, or why none can be. */
  readonly current: CurrentCardFacts;
}

/** A pump's cards with what has changed since each; audited as a read of the record. */
export async function pumpEmergencyCards(
  deps: EmergencyCardDeps,
  actor: Actor,
  pumpId: string,
): Promise<PumpCards> {
  const pump = await loadPump(deps.db, pumpId);
  const [patient, active, cards] = await Promise.all([
    loadPatient(deps.db, pump.patientId),
    findActivePrescription(deps.db, pumpId),
    listEmergencyCards(deps.db, pumpId),
  ]);
  const model = modelOf(pump);
  const current = currentCardFacts(deps, patient, pump, model, active);
  const names = await displayNames(
    deps.db,
    cards.map((c) => c.issuedBy),
  );
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'emergency-card.list',
      outcome: 'success',
      entityType: 'pump',
      entityId: pump.id,
      patientId: pump.patientId,
    }),
  );
  return {
    patient,
    pump,
    model,
    current,
    cards: cards.map((c) => ({
      ...c,
      issuedByName: names.get(c.issuedBy) ?? 'Unknown',
      changes: current.facts ? cardChanges(c.facts, current.facts) : [],
    })),
  };
}

export interface RenderedDocument {
  readonly filename: string;
  readonly pdf: Buffer;
  readonly patientId: string;
}

/** The card as it was issued (its snapshot, not today's facts), audited as a download. */
export async function downloadEmergencyCard(
  deps: EmergencyCardDeps,
  actor: Actor,
  cardId: string,
): Promise<RenderedDocument> {
  const card = await findEmergencyCard(deps.db, cardId);
  if (!card) {
    throw new AppError('NOT_FOUND', 'Emergency card not found');
  }
  const pdf = await renderEmergencyCardPdf(emergencyCardPanels(card.facts, card.issuedOn), {
    patientName: card.facts.patientName,
    serviceName: deps.config.service.name,
    issuedOn: card.issuedOn,
    createdAt: new Date(card.issuedAt),
  });
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'emergency-card.download',
      outcome: 'success',
      entityType: 'emergency-card',
      entityId: card.id,
      patientId: card.patientId,
      details: { pumpId: card.pumpId },
    }),
  );
  return { filename: `emergency-card-${card.issuedOn}.pdf`, pdf, patientId: card.patientId };
}
