/**
 * The sources the clinical rules and the selection protocols cite by key ([LTH-SEED]), in words,
 * for the Sources page: clinical pages show a "Sources" link instead of the keys. Copied from the
 * Sources table of docs/clinical-reference.md; clinical-sources.test.ts keeps the two the same.
 */

export interface ClinicalSource {
  readonly key: string;
  readonly url: string;
  readonly description: string;
}

/**
 * The table as it stands in the reference, one source a line: key | address | description.
 * Kept as text so it reads like the reference's table and stays one line a source.
 */
const TABLE = `
LTH-SEED | https://www.leedsth.nhs.uk/a-z-of-services/complex-rehabilitation/outpatient-information/spasticity-management/introduction-itb-pumps/ | Leeds Teaching Hospitals adult complex rehabilitation page introducing ITB pumps; the starting point of this reference
LTH-CH | http://lhp.leedsth.nhs.uk/detail.aspx?id=4467 | Leeds guideline on ITB for children and adolescents; only its opening could be read
LTH-CH-DOC | https://info.5y1.org/reasons-to-see-a-neurosurgeon_1_d08a0c.html | A Word copy of that children's guideline; only its contents list could be read
LTH-ITDD | http://lhp.leedsth.nhs.uk/detail.aspx?id=7288 | Leeds guideline (2021) for the adult intrathecal drug delivery service, listing its SOPs
LTH-PIL | https://www.leedsth.nhs.uk/patients/resources/intrathecal-pump/ | Leeds information leaflet for patients with an intrathecal pump
NICE145 | https://1library.net/article/intrathecal-baclofen-clinical-guideline-published-july-nice-guidance.y9gg3dgl | NICE CG145 recommendations 1.6.1 to 1.6.6 on intrathecal baclofen
NICE145-REC | https://nice.org.uk/guidance/cg145/chapter/recommendations | NICE CG145 recommendations page: care networks and goal-focused programmes
CBA | http://studyres.com/doc/9943387/continuous-intrathecal-baclofen | Access criteria for continuous intrathecal baclofen ("CBA"); the issuer is not shown and the text is truncated
BPS | https://studylib.net/doc/25297351/2018-british-pain-society | British Pain Society 2015 recommendations on intrathecal drug delivery; only the contents page could be read
ERS | https://app.croneri.co.uk/feature-articles/new-nhs-e-referral-service?product=154 | Notice that the NHS e-Referral Service took over from Choose and Book on 15 June 2015
BHAM | https://www.bhamcommunity.nhs.uk/spasticity-specialist-clinic | Birmingham spasticity specialist clinic: what to put in a referral
SVHM | https://svhm.org.au/health-professionals/gp-liaison/community-and-home-services/intrathecal-baclofen-clinic | St Vincent's Hospital Melbourne ITB clinic: referrals, when to refill, support out of hours
LABEL-SUM | http://ninemeds.com/lioresal/ | Summary of the US labelling for Lioresal Intrathecal: screening and the first dose
LABEL-SKY | https://download.skyscape.com/download/ota/lonestar/1C1D0B4F-B5A0-4B97-B0BC-6F1593D2B9CD/pktnuress.ed1/content/HTML/5/tc256.htm | The US label's dosing as reproduced in a drug handbook: screening, titration, maintenance
DRUGS | https://www.drugs.com/dosage/baclofen.html | Drugs.com dosing: screening doses of 50, 75 and 100 mcg; oral ceiling of 80 mg/day
CHEO | https://outreach.cheo.on.ca/node/1490 | Drug monograph from CHEO, a Canadian children's hospital: screening, starting dose, average doses, stability
CCN | https://criticalcarenorthampton.com/b/ | Drug summary: test doses of 50–100 mcg rising by 25 mcg; 25 mcg for very small patients
LIO-HCP | https://lioresal.com/hcp/screening-trial | Lioresal page for clinicians on the screening trial, with contraindications to implanting
LIO-AMP | https://lioresal.com/hcp/dosing-and-administration/ampules-refill-kit/ | Lioresal page on ampoule strengths and how to dilute them
LIO-SAFE | https://lioresal.com/lioresal-intrathecal/safety | Lioresal safety page for patients: signs of overdose and of withdrawal
GAB | http://www.empr.com/gablofen/drug/3769/ | Gablofen summary: 50, 500, 1000 and 2000 mcg/mL; maintenance ranges; monitoring
GAB-UK | https://www.drugs.com/uk/gablofen-2-mg-ml-solution-for-injection-infusion-leaflet.html | UK SmPC text for Gablofen: never stop suddenly; withdrawal needs hospital admission
CMSC | https://cmsc.confex.com/cmsc/2015/webprogram/Paper3434.html | Saulino and colleagues' best practice for dosing and long-term care
CMSC-SURV | https://cmsc.confex.com/cmsc/2015/webprogram/Paper3442.html | Qualitative survey of 22 clinicians who practise ITB
SAULINO-SEL | https://www.scribd.com/document/428487234/Best-Practices-for-Intrathecal-Baclofen-Therapy-Patient-Selection | Saulino and colleagues (2016): best practice for choosing patients for ITB
MEDSCAPE-1 | https://www.medscape.com/answers/2207448-173404/how-is-itb-dosed-for-the-treatment-of-spasticity | Medscape answer on the test dose and the hundredfold potency statement
MEDSCAPE-2 | https://www.medscape.com/answers/2207448-173405/what-is-the-dosing-of-itb-maintenance-therapy-for-spasticity | Medscape answer on maintenance ranges, refills and battery life
BRIS-TD | https://uhbristol.nhs.uk/patients-and-visitors/your-hospitals/bristol-royal-hospital-for-children/what-we-do/paediatric-neurosurgery/intrathecal-baclofen-therapy/itb-test-dose | Bristol Royal Hospital for Children: how the test dose is done
BRIS-AS | https://uhbristol.nhs.uk/patients-and-visitors/your-hospitals/bristol-royal-hospital-for-children/what-we-do/paediatric-neurosurgery/intrathecal-baclofen-therapy/itb-initial-assessment | Bristol Royal Hospital for Children: what the first assessment covers
BRIS-RF | https://uhbristol.nhs.uk/patients-and-visitors/your-hospitals/bristol-royal-hospital-for-children/what-we-do/paediatric-neurosurgery/intrathecal-baclofen-therapy/refill-appointments-annual-review | Bristol Royal Hospital for Children: refill appointments and the yearly review
GIL-TD | https://www.gillettechildrens.org/your-visit/patient-education/intrathecal-baclofen-test-dose-information | Gillette Children's: what happens on the test-dose day
GIL-RF1 | https://www.gillettechildrens.org/your-visit/patient-education/intrathecal-baclofen-pump-refills | Gillette Children's refill page (refill 3–5 days ahead of the alarm date)
GIL-RF2 | https://gillettechildrens.org/conditions-care/intrathecal-baclofen-pump/follow-up-care-for-itb-pump-implantation | Gillette Children's follow-up page (refill 7–10 days ahead of the alarm date)
KRACH | https://docecity.com/download/itb-best-practices-screening.html | Krach's best-practice slides on preparing for ITB screening
STROKE | https://acnpsearch.tweb-dev.unibo.it/singlejournalindex/84543305 | Abstract of an ITB trial in stroke, where a fall of 2 points counted as a positive response
RCH-TD | http://www.rch.org.au/kidsinfo/fact_sheets/Intrathecal_baclofen_2_Trial_dose/ | Royal Children's Hospital Melbourne: single bolus trial or 5-day catheter trial
RCH-ED | http://www.rch.org.au/rchcpg/hospital_clinical_guideline_index/Intrathecal_Baclofen_Therapy/ | Royal Children's Hospital Melbourne guideline for ITB in emergencies and on the wards
MDT-REPL | http://www.medtronic.com/patients/severe-spasticity/living-with/getting-a-replacement/index.htm | Medtronic on battery life, the elective replacement indicator and the 7-year shutdown
MDT-REPL-UK | https://www.medtronic.com/uk-en/patients/treatments-therapies/drug-pump-chronic-pain/living-with/drug-pumps-replacement.html | Medtronic UK: plan the replacement about 6 months ahead of shutdown
MDT-ALARM | http://www.medtronic.com/us-en/patients/treatments-therapies/drug-pump-severe-spasticity/living-with-itb-therapy/pump-management.html | Medtronic on the pump's two alarms and on booking refills
MDT-ALARM2 | https://www.medtronic.com/me-en/your-health/treatments-therapies/drug-pump-chronic-pain/living-with-therapy/optimizing-therapy.html | Medtronic: the critical two-tone alarm and the non-critical single-tone alarm
MDT-FLEX | https://www.medtronic.com/uk-en/patients/treatments-therapies/drug-pump-severe-spasticity/living-with/during-treatment-programming-adjustments.html | Medtronic UK on flex dosing, with up to 13 changes in a day
MDT-SM2 | http://www.medtronic.com/uk-en/patients/treatments-therapies/drug-pump-severe-spasticity/synchromed-ii-pump.html | Medtronic UK on SynchroMed II features, including MR conditional use at 3 T
MDT-MRI | http://professional.medtronic.com/devices/synchromed-II-for-spasticity/mri-guidelines/index.htm?TB_iframe=true&height=380&width=700 | Medtronic MRI guidance for SynchroMed II from 2008 (limited to 1.5 T at the time)
TGA-MRI | https://tga.gov.au/safety/product-recalls/synchromed-ii-infusion-pump-caution-after-mri | Australian TGA hazard alert: after MRI the pump may stay stopped until it is interrogated
MDT-RESP | http://www.medtronic.com/us-en/patients/treatments-therapies/drug-pump-severe-spasticity/living-with-itb-therapy/your-responsibilities.html | Medtronic on the patient's part: carry the emergency card, keep oral baclofen at home
MDT-EMCARD | https://issuu.com./mcg1969/docs/itb-emergency-card | Medtronic ITB emergency card: what to do for underdose and withdrawal
MDT-EMCARD2 | https://science-medic.com/m/mmcneuro.files.wordpress.com1.html | A later edition of the emergency card's text
MDT-UNDOVER | http://www.baclofenpump.com/living/during-treatment/underdose-overdose/index.htm | Medtronic page for patients: warning signs of too little and too much drug
UCLH-AFTER | https://uclh.nhs.uk/patients-and-visitors/patient-information-pages/aftercare-guidance-following-intrathecal-baclofen-pump-implant | UCLH/NHNN aftercare following implant (pump dimensions; an 81-month battery)
PROM-MRI | https://manualshive.com/ru/manual/flowonix/13827/2308328?page=8 | MRI instructions for the Prometra II pump
PROM-HCP | https://flowonix.com/healthcare-provider/brief-statement-for-us-health-care-providers | Prometra brief statement for clinicians: indications and contraindications
PROM-NEWS | https://hcplive.com/view/fda-grants-marketing-approval-for-prometra-ii-pump | News of the Prometra II approval for baclofen, in 20 and 40 mL sizes
CODMAN | https://manualslib.mx/manual/513899/Codman-As-10.html?page=22 | Codman implantable pump manual: formulas for running time and drug amount
SEEK-CONC | https://www.seekhealthz.com/health/how-to-determine-the-starting-dose-and-drug-concentration-when-initiating-intrathecal-therapy | How dose, flow rate and concentration relate; 20 mL at 0.5 mL/day lasts about 40 days
SEEK-MODES | https://www.seekhealthz.com/health/different-modes-of-intrathecal-drug-delivery/ | The ways an intrathecal drug can be delivered
SEEK-MRI | https://www.seekhealthz.com/health/effect-of-mri-on-intrathecal-pump/ | How MRI affects intrathecal pumps: SynchroMed stalls, Prometra valves may open
STAB180 | https://tokyo-2-qrcode.vukou.com/38043050 | 2023 baclofen stability study: commercial pumps have a longest refill interval of 180 days
ASRA | https://epostersonline.com/ASRAFALL17/node/1139?page=1 | ASRA 2017 abstract: investigate a refill discrepancy above 2 mL or outside the specification
MAINO | https://bvbvf1.bib-bvb.de/vufind/PrimoRecord/cdi_proquest_journals_1949114606 | Maino and colleagues (2017): volume discrepancy after a refill and the risk of pocket fill
PHARMSCI | https://www.pharmacologicalsciences.us/pain-management-2/pump-refills-and-reprogramming.html | How to refill, including a second provider checking the programming
SSN-REFILL | http://www.southshoreneurologic.com/clinical/itb/itb-manage-refill.html | Refill steps used by a US neurology practice
UWISC | https://uconnect.wisc.edu/cosmos/swiftbot/clinical/nursing-hub/intrathecal-pump/pump-refills/ | Advice not to depend on the alarm alone when scheduling refills
NSN-OD | https://neurosurgerynotes.bullet.site/procedures/cranialprocedures/functionalcranialprocedures/cnsdruginfusion/spasm/itboverdose | ITB overdose: pocket fill, how it presents and is treated, and advice on physostigmine
NSW-WD | https://neurosurgerywiki.com/wiki/doku.php?do=export_xhtml&id=intrathecal_baclofen_withdrawal | ITB withdrawal: its stages, and tapering before a planned removal
WIKEM | https://wikem.org/wiki/Baclofen_withdrawal | WikEM on managing baclofen withdrawal
FPN | https://fpnotebook.com/Rheum/Pharm/BclfnWthdrwl.htm | FPnotebook on when withdrawal starts and how it presents
WATVE | http://47.251.13.51:8081/22006082 | Watve and colleagues (2012, Spinal Cord): review of managing overdose and withdrawal
BACLOSAN | https://pill2trip.com/medicine/baclosan | Overdose section of the Baclosan SmPC, including a physostigmine regimen
MFB | https://www.maryfreebed.com/patients-visitors/emergency-procedures/ | Mary Free Bed emergency algorithms for ITB (autonomic dysreflexia or withdrawal)
CONS | https://consensus.app/questions/baclofen-withdrawal-timeline/ | Research summary: withdrawal begins within 1–3 days
KIRKER | https://m.booksci.cn/literature/144180348.htm | Kirker (2025): UK freedom-of-information survey of home refills across 54 clinics
NARENDRAN | https://vdocuments.site/open-access-research-the-need-for-and-provision-of-intrathecal-baclofen-therapy.html | Narendran (2015, BMJ Open): how much ITB England needs and how much it provides
PSFS | https://commondataelements.ninds.nih.gov/ReportViewer.aspx?/nindscdereports/rptNOC&rs:Command=Render&rc:Parameters=false&crfID=F1765 | NINDS common data element for the Penn Spasm Frequency Scale
MAS | https://nursing-science.com/knowledgebase/how-is-the-modified-ashworth-scale-scored | How the Modified Ashworth Scale is graded
MAS-NUM | https://0-jneuroengrehab-biomedcentral-com.brum.beds.ac.uk/articles/10.1186/1743-0003-10-61/tables/2 | Table recoding Modified Ashworth grades as 0–5 for analysis
GAS | https://studylib.es/doc/9061832/turner-stokes-2009.-goal-attainment-scaling | Turner-Stokes (2009) practical guide to Goal Attainment Scaling, with the corrected formula
GAS-ABS | https://bibbase.org/network/publication/turnerstokes-goalattainmentscalinggasinrehabilitationapracticalguide-2009 | Abstract of the GAS guide: scores from −2 to +2; T-score with mean 50 and SD 10
GMFCS | https://pmc.ncbi.nlm.nih.gov/articles/PMC6483668/table/table-wrap1 | GMFCS level descriptions for children aged 6 to 12
GMFCS-HEAD | https://bmcpediatr.biomedcentral.com/articles/10.1186/s12887-015-0433-5/tables/2 | Headings of the GMFCS E&R levels
NRS | https://physiotherapy.ca/divisions/pain-science/numeric-rating-scale-nrs-11/ | The 11-point numeric pain rating scale; a change of 2 points matters clinically
DOSE10Y | https://www.pubmed.gov/37982808/ | How ITB doses rose over 10 years, by cause of spasticity
WEAN-PMC | https://pmc.ncbi.nlm.nih.gov/articles/PMC8477242/table/T1 | Published table on weaning and bridging ITB around surgery
INFECT | https://pmc.ncbi.nlm.nih.gov/articles/PMC6808077 | Cerebral palsy cohort: rates of ITB infection and CSF leak
PHARMSCI-ITB | https://www.pharmacologicalsciences.us/chronic-pain-2/intrathecal-baclofen-therapy.html | Textbook extract comparing oral and intrathecal doses (with a unit error)
CAMB | https://resolve.cambridge.org/core/search?filters%5Bkeywords%5D=intrathecal+baclofen | Extract from a Cambridge chapter: intrathecal doses 100 to 1000 times smaller than oral ones
MDT-SURG | http://www.medtronic.com/us-en/patients/treatments-therapies/drug-pump-severe-spasticity/getting-therapy/surgery.html | Medtronic on the implant operation and 6–8 weeks of limited activity afterwards
MDT-BENEFIT | https://medtronic.com/en-us/l/patients/treatments-therapies/drug-pump-severe-spasticity/about-itb-therapy/benefits-risks.html | Medtronic on the short-lived side effects of the screening test
MDT-SUPPORT | http://www.medtronic.com/us-en/patients/treatments-therapies/drug-pump-severe-spasticity/resources/patient-support.html | Medtronic on the patient ID card, the emergency card and reaching the on-call doctor
TWO-NEEDLE | https://anesthesiaexperts.com/two-needle-approach-to-replenish-an-empty-intrathecal-pump | Cureus (2025) report of a two-needle method for refilling an empty reservoir
US-REFILL | https://discovery.researcher.life/article/ultrasound-guidance-for-technically-challenging-intrathecal-baclofen-pump-refill-three-cases-and-procedure-description/019eff3f50003875a856d756ff37e759 | Ultrasound guidance for difficult ITB refills: three cases and the method
PHYSO-FAIL | https://scilit.com/publications/e623517bf34b6f6c13680dcbe02ca06f | Case report in which physostigmine did not help a severe ITB overdose
LABEL-FDA | https://vdocuments.mx/lioresal-intrathecal-food-and-drug-lioresal-intrathecal-baclofen-injection.html | The US Lioresal Intrathecal label (boxed warning; strengths)
NHSE-PAIN | http://healthdocbox.com/Chronic_Pain/77271483-Clinical-commissioning-policy-intrathecal-pumps-for-treatment-of-severe-chronic-pain.html | NHS England draft policy on intrathecal pumps for severe chronic pain (contents list only)
MINIMED-IMPL | http://38.142.81.21:8001/manual/medtronic-minimed/3160/1-user-s-manual-english/page-81.html | Manual of the MiniMed implantable insulin pump, cited only as an analogy for alarm volumes
PENN94 | https://jnnp.bmj.com/lookup/external-ref?access_num=8291963&link_type=MED&atom=%2Fjnnp%2F75%2F11%2F1553.atom | Arch Phys Med Rehabil (1994): test doses of 50, 75 and 100 mcg; tolerance above 1000 mcg/day
BACINFO | http://www.baclofen.info/multiple-sclerosis-8-the-test-dose.htm | Patient website: one test injection a day; the effect peaks at about 4 h
`;

export const CLINICAL_SOURCES: readonly ClinicalSource[] = TABLE.trim()
  .split('\n')
  .map((line) => {
    const [key = '', url = '', ...rest] = line.split(' | ');
    return { key, url, description: rest.join(' | ') };
  });

/** A source key as the texts cite it: capitals, digits and hyphens in square brackets. */
const KEY = /\s*\[([A-Z0-9][A-Z0-9-]*)\]/g;

/** The keys a text cites, in order, once each. */
export function sourceKeysIn(text: string): string[] {
  return [...new Set([...text.matchAll(KEY)].map((m) => m[1] ?? ''))];
}

/** The text without its source keys: "Leeds Teaching Hospitals ITB service". */
export function withoutSourceKeys(text: string): string {
  return text.replace(KEY, '').trim();
}

/** The anchor of a source on the Sources page. */
export function sourceAnchor(key: string): string {
  return `source-${key.toLowerCase()}`;
}

/**
 * Where a text's "Sources" link goes: the Sources page at the first source it cites, or at the
 * top when it cites none the page lists.
 */
export function sourcesHref(text: string): string {
  const known = sourceKeysIn(text).find((k) => CLINICAL_SOURCES.some((s) => s.key === k));
  return known === undefined ? '/sources' : `/sources#${sourceAnchor(known)}`;
}
