import { auditPatientFilter, browseAudit, exportAuditCsv } from '../audit-query-service.ts';
import { sealAuditTrail, verifyAuditTrail } from '../audit-service.ts';
import { auditSecurityRefusal } from '../security-refusal-audit.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** The audit trail: browsing and exporting it, checking its chain, and auditing refused requests. */
export function auditServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    browse: browseAudit,
    exportCsv: exportAuditCsv,
    patientFilter: auditPatientFilter,
    verify: verifyAuditTrail,
    seal: sealAuditTrail,
    recordRefusal: auditSecurityRefusal,
  });
}
