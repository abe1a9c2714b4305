import { decideAssessment, recordMdtOutcome } from '../assessment-decision-service.ts';
import { mdtList, patientAssessmentList } from '../assessment-lists-service.ts';
import {
  assessmentProtocol,
  assessmentStartChoices,
  saveAnswers,
  startAssessment,
} from '../assessment-service.ts';
import { viewAssessment } from '../assessment-view-service.ts';
import { listProtocolVersions, viewProtocol } from '../protocol-list-service.ts';
import { importProtocol, importProtocolAs } from '../protocol-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** Patient selection: protocols, assessments and their answers, decisions and the MDT list. */
export function assessmentServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    startChoices: assessmentStartChoices,
    start: startAssessment,
    view: viewAssessment,
    protocolOf: assessmentProtocol,
    saveAnswers,
    decide: decideAssessment,
    recordMdtOutcome,
    forPatient: patientAssessmentList,
    mdtList,
    protocols: listProtocolVersions,
    protocol: viewProtocol,
    importProtocol,
    importProtocolAs,
  });
}
