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

export const CLINICAL_SOURCES: readonly ClinicalSource[] = [
  {
    key: 'LTH-SEED',
    url: 'https://www.leedsth.nhs.uk/a-z-of-services/complex-rehabilitation/outpatient-information/spasticity-management/introduction-itb-pumps/',
    description:
      'Leeds Teaching Hospitals adult complex rehabilitation page introducing ITB pumps; the starting point of this reference',
  },
  {
    key: 'LTH-CH',
    url: 'http://lhp.leedsth.nhs.uk/detail.aspx?id=4467',
    description: 'Leeds guideline on ITB for children and adolescents; only its opening could be read',
  },
  {
    key: 'LTH-CH-DOC',
    url: 'https://info.5y1.org/reasons-to-see-a-neurosurgeon_1_d08a0c.html',
    description: "A Word copy of that children's guideline; only its contents list could be read",
  },
  {
    key: 'LTH-ITDD',
    url: 'http://lhp.leedsth.nhs.uk/detail.aspx?id=7288',
    description: 'Leeds guideline (2021) for the adult intrathecal drug delivery service, listing its SOPs',
  },
  {
    key: 'LTH-PIL',
    url: 'https://www.leedsth.nhs.uk/patients/resources/intrathecal-pump/',
    description: 'Leeds information leaflet for patients with an intrathecal pump',
  },
  {
    key: 'NICE145',
    url: 'https://1library.net/article/intrathecal-baclofen-clinical-guideline-published-july-nice-guidance.y9gg3dgl',
    description: 'NICE CG145 recommendations 1.6.1 to 1.6.6 on intrathecal baclofen',
  },
  {
    key: 'NICE145-REC',
    url: 'https://nice.org.uk/guidance/cg145/chapter/recommendations',
    description: 'NICE CG145 recommendations page: care networks and goal-focused programmes',
  },
  {
    key: 'CBA',
    url: 'http://studyres.com/doc/9943387/continuous-intrathecal-baclofen',
    description:
      'Access criteria for continuous intrathecal baclofen ("CBA"); the issuer is not shown and the text is truncated',
  },
  {
    key: 'BPS',
    url: 'https://studylib.net/doc/25297351/2018-british-pain-society',
    description:
      'British Pain Society 2015 recommendations on intrathecal drug delivery; only the contents page could be read',
  },
  {
    key: 'ERS',
    url: 'https://app.croneri.co.uk/feature-articles/new-nhs-e-referral-service?product=154',
    description: 'Notice that the NHS e-Referral Service took over from Choose and Book on 15 June 2015',
  },
  {
    key: 'BHAM',
    url: 'https://www.bhamcommunity.nhs.uk/spasticity-specialist-clinic',
    description: 'Birmingham spasticity specialist clinic: what to put in a referral',
  },
  {
    key: 'SVHM',
    url: 'https://svhm.org.au/health-professionals/gp-liaison/community-and-home-services/intrathecal-baclofen-clinic',
    description:
      "St Vincent's Hospital Melbourne ITB clinic: referrals, when to refill, support out of hours",
  },
  {
    key: 'LABEL-SUM',
    url: 'http://ninemeds.com/lioresal/',
    description: 'Summary of the US labelling for Lioresal Intrathecal: screening and the first dose',
  },
  {
    key: 'LABEL-SKY',
    url: 'https://download.skyscape.com/download/ota/lonestar/1C1D0B4F-B5A0-4B97-B0BC-6F1593D2B9CD/pktnuress.ed1/content/HTML/5/tc256.htm',
    description: "The US label's dosing as reproduced in a drug handbook: screening, titration, maintenance",
  },
  {
    key: 'DRUGS',
    url: 'https://www.drugs.com/dosage/baclofen.html',
    description: 'Drugs.com dosing: screening doses of 50, 75 and 100 mcg; oral ceiling of 80 mg/day',
  },
  {
    key: 'CHEO',
    url: 'https://outreach.cheo.on.ca/node/1490',
    description:
      "Drug monograph from CHEO, a Canadian children's hospital: screening, starting dose, average doses, stability",
  },
  {
    key: 'CCN',
    url: 'https://criticalcarenorthampton.com/b/',
    description: 'Drug summary: test doses of 50–100 mcg rising by 25 mcg; 25 mcg for very small patients',
  },
  {
    key: 'LIO-HCP',
    url: 'https://lioresal.com/hcp/screening-trial',
    description: 'Lioresal page for clinicians on the screening trial, with contraindications to implanting',
  },
  {
    key: 'LIO-AMP',
    url: 'https://lioresal.com/hcp/dosing-and-administration/ampules-refill-kit/',
    description: 'Lioresal page on ampoule strengths and how to dilute them',
  },
  {
    key: 'LIO-SAFE',
    url: 'https://lioresal.com/lioresal-intrathecal/safety',
    description: 'Lioresal safety page for patients: signs of overdose and of withdrawal',
  },
  {
    key: 'GAB',
    url: 'http://www.empr.com/gablofen/drug/3769/',
    description: 'Gablofen summary: 50, 500, 1000 and 2000 mcg/mL; maintenance ranges; monitoring',
  },
  {
    key: 'GAB-UK',
    url: 'https://www.drugs.com/uk/gablofen-2-mg-ml-solution-for-injection-infusion-leaflet.html',
    description: 'UK SmPC text for Gablofen: never stop suddenly; withdrawal needs hospital admission',
  },
  {
    key: 'CMSC',
    url: 'https://cmsc.confex.com/cmsc/2015/webprogram/Paper3434.html',
    description: "Saulino and colleagues' best practice for dosing and long-term care",
  },
  {
    key: 'CMSC-SURV',
    url: 'https://cmsc.confex.com/cmsc/2015/webprogram/Paper3442.html',
    description: 'Qualitative survey of 22 clinicians who practise ITB',
  },
  {
    key: 'SAULINO-SEL',
    url: 'https://www.scribd.com/document/428487234/Best-Practices-for-Intrathecal-Baclofen-Therapy-Patient-Selection',
    description: 'Saulino and colleagues (2016): best practice for choosing patients for ITB',
  },
  {
    key: 'MEDSCAPE-1',
    url: 'https://www.medscape.com/answers/2207448-173404/how-is-itb-dosed-for-the-treatment-of-spasticity',
    description: 'Medscape answer on the test dose and the hundredfold potency statement',
  },
  {
    key: 'MEDSCAPE-2',
    url: 'https://www.medscape.com/answers/2207448-173405/what-is-the-dosing-of-itb-maintenance-therapy-for-spasticity',
    description: 'Medscape answer on maintenance ranges, refills and battery life',
  },
  {
    key: 'BRIS-TD',
    url: 'https://uhbristol.nhs.uk/patients-and-visitors/your-hospitals/bristol-royal-hospital-for-children/what-we-do/paediatric-neurosurgery/intrathecal-baclofen-therapy/itb-test-dose',
    description: 'Bristol Royal Hospital for Children: how the test dose is done',
  },
  {
    key: 'BRIS-AS',
    url: 'https://uhbristol.nhs.uk/patients-and-visitors/your-hospitals/bristol-royal-hospital-for-children/what-we-do/paediatric-neurosurgery/intrathecal-baclofen-therapy/itb-initial-assessment',
    description: 'Bristol Royal Hospital for Children: what the first assessment covers',
  },
  {
    key: 'BRIS-RF',
    url: 'https://uhbristol.nhs.uk/patients-and-visitors/your-hospitals/bristol-royal-hospital-for-children/what-we-do/paediatric-neurosurgery/intrathecal-baclofen-therapy/refill-appointments-annual-review',
    description: 'Bristol Royal Hospital for Children: refill appointments and the yearly review',
  },
  {
    key: 'GIL-TD',
    url: 'https://www.gillettechildrens.org/your-visit/patient-education/intrathecal-baclofen-test-dose-information',
    description: "Gillette Children's: what happens on the test-dose day",
  },
  {
    key: 'GIL-RF1',
    url: 'https://www.gillettechildrens.org/your-visit/patient-education/intrathecal-baclofen-pump-refills',
    description: "Gillette Children's refill page (refill 3–5 days ahead of the alarm date)",
  },
  {
    key: 'GIL-RF2',
    url: 'https://gillettechildrens.org/conditions-care/intrathecal-baclofen-pump/follow-up-care-for-itb-pump-implantation',
    description: "Gillette Children's follow-up page (refill 7–10 days ahead of the alarm date)",
  },
  {
    key: 'KRACH',
    url: 'https://docecity.com/download/itb-best-practices-screening.html',
    description: "Krach's best-practice slides on preparing for ITB screening",
  },
  {
    key: 'STROKE',
    url: 'https://acnpsearch.tweb-dev.unibo.it/singlejournalindex/84543305',
    description:
      'Abstract of an ITB trial in stroke, where a fall of 2 points counted as a positive response',
  },
  {
    key: 'RCH-TD',
    url: 'http://www.rch.org.au/kidsinfo/fact_sheets/Intrathecal_baclofen_2_Trial_dose/',
    description: "Royal Children's Hospital Melbourne: single bolus trial or 5-day catheter trial",
  },
  {
    key: 'RCH-ED',
    url: 'http://www.rch.org.au/rchcpg/hospital_clinical_guideline_index/Intrathecal_Baclofen_Therapy/',
    description: "Royal Children's Hospital Melbourne guideline for ITB in emergencies and on the wards",
  },
  {
    key: 'MDT-REPL',
    url: 'http://www.medtronic.com/patients/severe-spasticity/living-with/getting-a-replacement/index.htm',
    description: 'Medtronic on battery life, the elective replacement indicator and the 7-year shutdown',
  },
  {
    key: 'MDT-REPL-UK',
    url: 'https://www.medtronic.com/uk-en/patients/treatments-therapies/drug-pump-chronic-pain/living-with/drug-pumps-replacement.html',
    description: 'Medtronic UK: plan the replacement about 6 months ahead of shutdown',
  },
  {
    key: 'MDT-ALARM',
    url: 'http://www.medtronic.com/us-en/patients/treatments-therapies/drug-pump-severe-spasticity/living-with-itb-therapy/pump-management.html',
    description: "Medtronic on the pump's two alarms and on booking refills",
  },
  {
    key: 'MDT-ALARM2',
    url: 'https://www.medtronic.com/me-en/your-health/treatments-therapies/drug-pump-chronic-pain/living-with-therapy/optimizing-therapy.html',
    description: 'Medtronic: the critical two-tone alarm and the non-critical single-tone alarm',
  },
  {
    key: 'MDT-FLEX',
    url: 'https://www.medtronic.com/uk-en/patients/treatments-therapies/drug-pump-severe-spasticity/living-with/during-treatment-programming-adjustments.html',
    description: 'Medtronic UK on flex dosing, with up to 13 changes in a day',
  },
  {
    key: 'MDT-SM2',
    url: 'http://www.medtronic.com/uk-en/patients/treatments-therapies/drug-pump-severe-spasticity/synchromed-ii-pump.html',
    description: 'Medtronic UK on SynchroMed II features, including MR conditional use at 3 T',
  },
  {
    key: 'MDT-MRI',
    url: 'http://professional.medtronic.com/devices/synchromed-II-for-spasticity/mri-guidelines/index.htm?TB_iframe=true&height=380&width=700',
    description: 'Medtronic MRI guidance for SynchroMed II from 2008 (limited to 1.5 T at the time)',
  },
  {
    key: 'TGA-MRI',
    url: 'https://tga.gov.au/safety/product-recalls/synchromed-ii-infusion-pump-caution-after-mri',
    description: 'Australian TGA hazard alert: after MRI the pump may stay stopped until it is interrogated',
  },
  {
    key: 'MDT-RESP',
    url: 'http://www.medtronic.com/us-en/patients/treatments-therapies/drug-pump-severe-spasticity/living-with-itb-therapy/your-responsibilities.html',
    description: "Medtronic on the patient's part: carry the emergency card, keep oral baclofen at home",
  },
  {
    key: 'MDT-EMCARD',
    url: 'https://issuu.com./mcg1969/docs/itb-emergency-card',
    description: 'Medtronic ITB emergency card: what to do for underdose and withdrawal',
  },
  {
    key: 'MDT-EMCARD2',
    url: 'https://science-medic.com/m/mmcneuro.files.wordpress.com1.html',
    description: "A later edition of the emergency card's text",
  },
  {
    key: 'MDT-UNDOVER',
    url: 'http://www.baclofenpump.com/living/during-treatment/underdose-overdose/index.htm',
    description: 'Medtronic page for patients: warning signs of too little and too much drug',
  },
  {
    key: 'UCLH-AFTER',
    url: 'https://uclh.nhs.uk/patients-and-visitors/patient-information-pages/aftercare-guidance-following-intrathecal-baclofen-pump-implant',
    description: 'UCLH/NHNN aftercare following implant (pump dimensions; an 81-month battery)',
  },
  {
    key: 'PROM-MRI',
    url: 'https://manualshive.com/ru/manual/flowonix/13827/2308328?page=8',
    description: 'MRI instructions for the Prometra II pump',
  },
  {
    key: 'PROM-HCP',
    url: 'https://flowonix.com/healthcare-provider/brief-statement-for-us-health-care-providers',
    description: 'Prometra brief statement for clinicians: indications and contraindications',
  },
  {
    key: 'PROM-NEWS',
    url: 'https://hcplive.com/view/fda-grants-marketing-approval-for-prometra-ii-pump',
    description: 'News of the Prometra II approval for baclofen, in 20 and 40 mL sizes',
  },
  {
    key: 'CODMAN',
    url: 'https://manualslib.mx/manual/513899/Codman-As-10.html?page=22',
    description: 'Codman implantable pump manual: formulas for running time and drug amount',
  },
  {
    key: 'SEEK-CONC',
    url: 'https://www.seekhealthz.com/health/how-to-determine-the-starting-dose-and-drug-concentration-when-initiating-intrathecal-therapy',
    description: 'How dose, flow rate and concentration relate; 20 mL at 0.5 mL/day lasts about 40 days',
  },
  {
    key: 'SEEK-MODES',
    url: 'https://www.seekhealthz.com/health/different-modes-of-intrathecal-drug-delivery/',
    description: 'The ways an intrathecal drug can be delivered',
  },
  {
    key: 'SEEK-MRI',
    url: 'https://www.seekhealthz.com/health/effect-of-mri-on-intrathecal-pump/',
    description: 'How MRI affects intrathecal pumps: SynchroMed stalls, Prometra valves may open',
  },
  {
    key: 'STAB180',
    url: 'https://tokyo-2-qrcode.vukou.com/38043050',
    description: '2023 baclofen stability study: commercial pumps have a longest refill interval of 180 days',
  },
  {
    key: 'ASRA',
    url: 'https://epostersonline.com/ASRAFALL17/node/1139?page=1',
    description:
      'ASRA 2017 abstract: investigate a refill discrepancy above 2 mL or outside the specification',
  },
  {
    key: 'MAINO',
    url: 'https://bvbvf1.bib-bvb.de/vufind/PrimoRecord/cdi_proquest_journals_1949114606',
    description: 'Maino and colleagues (2017): volume discrepancy after a refill and the risk of pocket fill',
  },
  {
    key: 'PHARMSCI',
    url: 'https://www.pharmacologicalsciences.us/pain-management-2/pump-refills-and-reprogramming.html',
    description: 'How to refill, including a second provider checking the programming',
  },
  {
    key: 'SSN-REFILL',
    url: 'http://www.southshoreneurologic.com/clinical/itb/itb-manage-refill.html',
    description: 'Refill steps used by a US neurology practice',
  },
  {
    key: 'UWISC',
    url: 'https://uconnect.wisc.edu/cosmos/swiftbot/clinical/nursing-hub/intrathecal-pump/pump-refills/',
    description: 'Advice not to depend on the alarm alone when scheduling refills',
  },
  {
    key: 'NSN-OD',
    url: 'https://neurosurgerynotes.bullet.site/procedures/cranialprocedures/functionalcranialprocedures/cnsdruginfusion/spasm/itboverdose',
    description: 'ITB overdose: pocket fill, how it presents and is treated, and advice on physostigmine',
  },
  {
    key: 'NSW-WD',
    url: 'https://neurosurgerywiki.com/wiki/doku.php?do=export_xhtml&id=intrathecal_baclofen_withdrawal',
    description: 'ITB withdrawal: its stages, and tapering before a planned removal',
  },
  {
    key: 'WIKEM',
    url: 'https://wikem.org/wiki/Baclofen_withdrawal',
    description: 'WikEM on managing baclofen withdrawal',
  },
  {
    key: 'FPN',
    url: 'https://fpnotebook.com/Rheum/Pharm/BclfnWthdrwl.htm',
    description: 'FPnotebook on when withdrawal starts and how it presents',
  },
  {
    key: 'WATVE',
    url: 'http://47.251.13.51:8081/22006082',
    description: 'Watve and colleagues (2012, Spinal Cord): review of managing overdose and withdrawal',
  },
  {
    key: 'BACLOSAN',
    url: 'https://pill2trip.com/medicine/baclosan',
    description: 'Overdose section of the Baclosan SmPC, including a physostigmine regimen',
  },
  {
    key: 'MFB',
    url: 'https://www.maryfreebed.com/patients-visitors/emergency-procedures/',
    description: 'Mary Free Bed emergency algorithms for ITB (autonomic dysreflexia or withdrawal)',
  },
  {
    key: 'CONS',
    url: 'https://consensus.app/questions/baclofen-withdrawal-timeline/',
    description: 'Research summary: withdrawal begins within 1–3 days',
  },
  {
    key: 'KIRKER',
    url: 'https://m.booksci.cn/literature/144180348.htm',
    description: 'Kirker (2025): UK freedom-of-information survey of home refills across 54 clinics',
  },
  {
    key: 'NARENDRAN',
    url: 'https://vdocuments.site/open-access-research-the-need-for-and-provision-of-intrathecal-baclofen-therapy.html',
    description: 'Narendran (2015, BMJ Open): how much ITB England needs and how much it provides',
  },
  {
    key: 'PSFS',
    url: 'https://commondataelements.ninds.nih.gov/ReportViewer.aspx?/nindscdereports/rptNOC&rs:Command=Render&rc:Parameters=false&crfID=F1765',
    description: 'NINDS common data element for the Penn Spasm Frequency Scale',
  },
  {
    key: 'MAS',
    url: 'https://nursing-science.com/knowledgebase/how-is-the-modified-ashworth-scale-scored',
    description: 'How the Modified Ashworth Scale is graded',
  },
  {
    key: 'MAS-NUM',
    url: 'https://0-jneuroengrehab-biomedcentral-com.brum.beds.ac.uk/articles/10.1186/1743-0003-10-61/tables/2',
    description: 'Table recoding Modified Ashworth grades as 0–5 for analysis',
  },
  {
    key: 'GAS',
    url: 'https://studylib.es/doc/9061832/turner-stokes-2009.-goal-attainment-scaling',
    description:
      'Turner-Stokes (2009) practical guide to Goal Attainment Scaling, with the corrected formula',
  },
  {
    key: 'GAS-ABS',
    url: 'https://bibbase.org/network/publication/turnerstokes-goalattainmentscalinggasinrehabilitationapracticalguide-2009',
    description: 'Abstract of the GAS guide: scores from −2 to +2; T-score with mean 50 and SD 10',
  },
  {
    key: 'GMFCS',
    url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC6483668/table/table-wrap1',
    description: 'GMFCS level descriptions for children aged 6 to 12',
  },
  {
    key: 'GMFCS-HEAD',
    url: 'https://bmcpediatr.biomedcentral.com/articles/10.1186/s12887-015-0433-5/tables/2',
    description: 'Headings of the GMFCS E&R levels',
  },
  {
    key: 'NRS',
    url: 'https://physiotherapy.ca/divisions/pain-science/numeric-rating-scale-nrs-11/',
    description: 'The 11-point numeric pain rating scale; a change of 2 points matters clinically',
  },
  {
    key: 'DOSE10Y',
    url: 'https://www.pubmed.gov/37982808/',
    description: 'How ITB doses rose over 10 years, by cause of spasticity',
  },
  {
    key: 'WEAN-PMC',
    url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC8477242/table/T1',
    description: 'Published table on weaning and bridging ITB around surgery',
  },
  {
    key: 'INFECT',
    url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC6808077',
    description: 'Cerebral palsy cohort: rates of ITB infection and CSF leak',
  },
  {
    key: 'PHARMSCI-ITB',
    url: 'https://www.pharmacologicalsciences.us/chronic-pain-2/intrathecal-baclofen-therapy.html',
    description: 'Textbook extract comparing oral and intrathecal doses (with a unit error)',
  },
  {
    key: 'CAMB',
    url: 'https://resolve.cambridge.org/core/search?filters%5Bkeywords%5D=intrathecal+baclofen',
    description:
      'Extract from a Cambridge chapter: intrathecal doses 100 to 1000 times smaller than oral ones',
  },
  {
    key: 'MDT-SURG',
    url: 'http://www.medtronic.com/us-en/patients/treatments-therapies/drug-pump-severe-spasticity/getting-therapy/surgery.html',
    description: 'Medtronic on the implant operation and 6–8 weeks of limited activity afterwards',
  },
  {
    key: 'MDT-BENEFIT',
    url: 'https://medtronic.com/en-us/l/patients/treatments-therapies/drug-pump-severe-spasticity/about-itb-therapy/benefits-risks.html',
    description: 'Medtronic on the short-lived side effects of the screening test',
  },
  {
    key: 'MDT-SUPPORT',
    url: 'http://www.medtronic.com/us-en/patients/treatments-therapies/drug-pump-severe-spasticity/resources/patient-support.html',
    description: 'Medtronic on the patient ID card, the emergency card and reaching the on-call doctor',
  },
  {
    key: 'TWO-NEEDLE',
    url: 'https://anesthesiaexperts.com/two-needle-approach-to-replenish-an-empty-intrathecal-pump',
    description: 'Cureus (2025) report of a two-needle method for refilling an empty reservoir',
  },
  {
    key: 'US-REFILL',
    url: 'https://discovery.researcher.life/article/ultrasound-guidance-for-technically-challenging-intrathecal-baclofen-pump-refill-three-cases-and-procedure-description/019eff3f50003875a856d756ff37e759',
    description: 'Ultrasound guidance for difficult ITB refills: three cases and the method',
  },
  {
    key: 'PHYSO-FAIL',
    url: 'https://scilit.com/publications/e623517bf34b6f6c13680dcbe02ca06f',
    description: 'Case report in which physostigmine did not help a severe ITB overdose',
  },
  {
    key: 'LABEL-FDA',
    url: 'https://vdocuments.mx/lioresal-intrathecal-food-and-drug-lioresal-intrathecal-baclofen-injection.html',
    description: 'The US Lioresal Intrathecal label (boxed warning; strengths)',
  },
  {
    key: 'NHSE-PAIN',
    url: 'http://healthdocbox.com/Chronic_Pain/77271483-Clinical-commissioning-policy-intrathecal-pumps-for-treatment-of-severe-chronic-pain.html',
    description: 'NHS England draft policy on intrathecal pumps for severe chronic pain (contents list only)',
  },
  {
    key: 'MINIMED-IMPL',
    url: 'http://38.142.81.21:8001/manual/medtronic-minimed/3160/1-user-s-manual-english/page-81.html',
    description: 'Manual of the MiniMed implantable insulin pump, cited only as an analogy for alarm volumes',
  },
  {
    key: 'PENN94',
    url: 'https://jnnp.bmj.com/lookup/external-ref?access_num=8291963&link_type=MED&atom=%2Fjnnp%2F75%2F11%2F1553.atom',
    description:
      'Arch Phys Med Rehabil (1994): test doses of 50, 75 and 100 mcg; tolerance above 1000 mcg/day',
  },
  {
    key: 'BACINFO',
    url: 'http://www.baclofen.info/multiple-sclerosis-8-the-test-dose.htm',
    description: 'Patient website: one test injection a day; the effect peaks at about 4 h',
  },
];

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
