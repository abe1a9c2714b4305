import { lifeEventLetter } from '../life-event-letter.ts';
import {
  completeLifeEventAction,
  endLifeEvent,
  findLifeEventById,
  lifeEventPage,
  patientLifeEvents,
  recordLifeEvent,
} from '../life-event-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** Life events: pregnancy, surgery elsewhere, death and transfer of care, their checklists and letters. */
export function lifeEventServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    record: recordLifeEvent,
    completeAction: completeLifeEventAction,
    end: endLifeEvent,
    listForPatient: patientLifeEvents,
    find: findLifeEventById,
    page: lifeEventPage,
    letter: lifeEventLetter,
  });
}
