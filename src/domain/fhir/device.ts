import type { Device } from '@medplum/fhirtypes';
import { findPumpModel } from '../pump-device.ts';
import { TEXT_ONLY, textOnly, ukCoreProfile } from './codes.ts';
import { millilitres, ref } from './fhir-values.ts';

/** What the Device mappers read: one implanted pump and the catheter recorded with it. */
export interface PumpFacts {
  readonly id: string;
  readonly patientId: string;
  readonly modelId: string;
  readonly reservoirMl: number;
  readonly serialNumber: string;
  readonly implantedOn: string;
  readonly alarmMl: number;
  readonly catheterModel: string | null;
  readonly catheterTipLevel: string | null;
  /** PUMP_STATES: 'implanted' is the one in the patient now. */
  readonly state: string;
  readonly endedOn: string | null;
  readonly updatedAt: string;
}

/** The catheter shares the pump's row, so its logical id is the pump's with a prefix. */
export const CATHETER_ID_PREFIX = 'catheter-';
export function catheterId(pumpId: string): string {
  return `${CATHETER_ID_PREFIX}${pumpId}`;
}

/** R4 Device.status: 'active' while implanted, 'inactive' once explanted, replaced or ended. */
function deviceStatus(p: PumpFacts): Device['status'] {
  return p.state === 'implanted' ? 'active' : 'inactive';
}

/**
 * The pump as a UK Core Device (https://simplifier.net/hl7fhirukcorer4/ukcore-device): model and
 * manufacturer from the pump model list, serial number, the reservoir volume and the
 * low-reservoir alarm volume as properties. R4 Device has no implant-date element; the implant
 * is its own Procedure (procedure.ts) and is also said in a note.
 */
export function toFhirPumpDevice(p: PumpFacts): Device {
  const model = findPumpModel(p.modelId);
  return {
    resourceType: 'Device',
    id: p.id,
    meta: { profile: [ukCoreProfile('Device')], lastUpdated: p.updatedAt },
    status: deviceStatus(p),
    type: textOnly(TEXT_ONLY.pumpDevice),
    ...(model ? { manufacturer: model.manufacturer } : {}),
    deviceName: [{ name: model?.name ?? p.modelId, type: 'model-name' }],
    modelNumber: p.modelId,
    serialNumber: p.serialNumber,
    patient: ref('Patient', p.patientId),
    property: [
      { type: textOnly('Reservoir volume'), valueQuantity: [millilitres(p.reservoirMl)] },
      { type: textOnly('Low-reservoir alarm volume'), valueQuantity: [millilitres(p.alarmMl)] },
    ],
    note: [
      {
        text: `Implanted on ${p.implantedOn}.` + (p.endedOn ? ` Ended on ${p.endedOn} (${p.state}).` : ''),
      },
    ],
  };
}

/** The intrathecal catheter implanted with the pump, as its own Device linked to the pump. */
export function toFhirCatheterDevice(p: PumpFacts): Device {
  const notes = [
    p.catheterTipLevel ? `Catheter tip at ${p.catheterTipLevel}.` : null,
    `Implanted with pump ${p.serialNumber} on ${p.implantedOn}.`,
  ].filter((v): v is string => v !== null);
  return {
    resourceType: 'Device',
    id: catheterId(p.id),
    meta: { profile: [ukCoreProfile('Device')], lastUpdated: p.updatedAt },
    status: deviceStatus(p),
    type: textOnly(TEXT_ONLY.catheterDevice),
    ...(p.catheterModel ? { deviceName: [{ name: p.catheterModel, type: 'model-name' }] } : {}),
    patient: ref('Patient', p.patientId),
    parent: ref('Device', p.id),
    note: [{ text: notes.join(' ') }],
  };
}
