// Word lists the synthetic data generator draws from: medical vocabulary, condition and intervention name parts.

const words = (text: string): string[] => text.trim().split(/\s+/);

/** Free-text vocabulary for statements, summaries, titles and abstracts: real medical words, so FTS has real work. */
export const MEDICAL_WORDS = words(`
  inflammation immune response barrier dysfunction epidermal keratinocyte microbiota microbiome dysbiosis commensal
  pathogen colonisation permeability cytokine interleukin tumour necrosis factor interferon lymphocyte macrophage
  neutrophil eosinophil mast cell antibody antigen allergen sensitisation tolerance regulatory helper cytotoxic
  signalling pathway receptor ligand agonist antagonist inhibitor kinase phosphorylation transcription expression
  methylation epigenetic genotype phenotype polymorphism mutation variant allele heritability susceptibility
  prognosis diagnosis screening biomarker serum plasma urine faecal stool biopsy histology imaging ultrasound
  radiography tomography resonance endoscopy colonoscopy spirometry echocardiography electrocardiogram
  hypertension hypotension tachycardia bradycardia arrhythmia ischaemia infarction thrombosis embolism stenosis
  atherosclerosis cholesterol triglyceride lipoprotein glucose insulin resistance glycaemic haemoglobin ferritin
  vitamin mineral zinc magnesium calcium iron folate omega fatty acid polyphenol flavonoid fibre protein
  carbohydrate sodium potassium hydration caloric restriction fasting weight adiposity body mass index waist
  circumference obesity metabolic syndrome dyslipidaemia steatosis fibrosis cirrhosis hepatic renal glomerular
  filtration albuminuria creatinine proteinuria nephropathy neuropathy retinopathy cognitive decline dementia
  memory executive function mood depressive anxiety symptoms sleep quality insomnia fatigue pain intensity
  disability mobility frailty falls fracture bone mineral density osteopenia sarcopenia muscle strength
  endurance aerobic resistance training physical activity sedentary behaviour smoking cessation alcohol intake
  socioeconomic deprivation adherence compliance tolerability adverse events discontinuation withdrawal
  hospitalisation readmission mortality survival progression remission relapse recurrence flare exacerbation
  severity score index scale questionnaire patient reported outcome quality life wellbeing satisfaction
  children adolescents adults elderly older women men pregnant postpartum infants neonates preterm
  participants patients volunteers cohort population community primary care outpatient inpatient intensive
  randomised controlled trial placebo blinded crossover parallel cluster pragmatic pilot feasibility
  observational prospective retrospective longitudinal cross sectional case control nested registry database
  meta analysis systematic review pooled estimate heterogeneity sensitivity subgroup confounding bias
  adjustment covariate regression hazard ratio odds relative risk confidence interval significance effect
  size dose response duration follow up baseline endpoint primary secondary exploratory post hoc
  supplementation administration oral topical intravenous subcutaneous daily weekly twice regimen dosage
  formulation capsule tablet cream ointment emollient moisturiser corticosteroid antihistamine antibiotic
  antifungal antiviral vaccine immunotherapy biologic monoclonal checkpoint chemotherapy radiotherapy surgery
  resection transplantation stem cell gene therapy targeted small molecule tyrosine probiotic prebiotic
  synbiotic postbiotic lactobacillus bifidobacterium streptococcus akkermansia faecalibacterium bacteroides
  firmicutes proteobacteria short chain butyrate propionate acetate metabolite bile acid tryptophan
  histamine serotonin dopamine cortisol oestrogen testosterone thyroid adrenal pituitary hypothalamic axis
  gut skin brain liver lung heart kidney intestinal colonic gastric oesophageal pancreatic biliary
  dermatitis eczema psoriasis acne rosacea urticaria pruritus xerosis alopecia vitiligo hidradenitis melanoma
  carcinoma lymphoma leukaemia myeloma sarcoma glioma adenoma polyp neoplasm metastasis tumour malignancy
  asthma rhinitis bronchitis pneumonia emphysema apnoea allergy anaphylaxis coeliac colitis crohn ileitis
  gastritis reflux dyspepsia constipation diarrhoea bloating irritable bowel diverticulitis pancreatitis
  hepatitis diabetes thyroiditis arthritis lupus sclerosis spondylitis gout osteoarthritis osteoporosis
  migraine epilepsy stroke parkinson alzheimer autism attention deficit schizophrenia bipolar
  infection sepsis bacteraemia viral bacterial fungal parasitic resistance susceptibility transmission
  incidence prevalence burden cost effectiveness utility implementation guideline recommendation consensus
  evidence certainty imprecision inconsistency indirectness publication risk downgrade upgrade
  association benefit harm reduction improvement increase decrease modest substantial small large moderate
  consistent inconsistent uncertain limited preliminary emerging robust plausible mechanistic causal
`);

/** Disease stems for the condition hierarchy; `cancer` marks oncology (where CIViC-style claims live). */
export const ROOT_CONDITIONS: { name: string; cancer: boolean; stems: string[] }[] = [
  {
    name: 'Skin conditions',
    cancer: false,
    stems: words('eczema psoriasis acne rosacea urticaria vitiligo alopecia hidradenitis pruritus seborrhoea'),
  },
  { name: 'Skin cancer', cancer: true, stems: words('melanoma carcinoma keratoacanthoma lentigo') },
  {
    name: 'Cardiovascular disease',
    cancer: false,
    stems: words('hypertension arrhythmia cardiomyopathy atherosclerosis angina myocarditis endocarditis'),
  },
  { name: 'Respiratory disease', cancer: false, stems: words('asthma bronchiectasis emphysema pneumonia bronchitis') },
  { name: 'Lung cancer', cancer: true, stems: words('adenocarcinoma mesothelioma carcinoid') },
  {
    name: 'Gastrointestinal disorders',
    cancer: false,
    stems: words('colitis ileitis gastritis reflux dyspepsia constipation diverticulitis gastroparesis'),
  },
  { name: 'Colorectal cancer', cancer: true, stems: words('adenocarcinoma adenoma polyposis') },
  { name: 'Liver disease', cancer: false, stems: words('steatosis hepatitis cirrhosis cholangitis fibrosis') },
  { name: 'Kidney disease', cancer: false, stems: words('nephropathy glomerulonephritis nephrolithiasis nephritis') },
  {
    name: 'Neurological disorders',
    cancer: false,
    stems: words('migraine epilepsy neuropathy parkinsonism dementia ataxia'),
  },
  { name: 'Brain tumours', cancer: true, stems: words('glioma glioblastoma meningioma medulloblastoma') },
  {
    name: 'Mental health conditions',
    cancer: false,
    stems: words('depression anxiety schizophrenia bipolar insomnia anorexia bulimia'),
  },
  { name: 'Metabolic disorders', cancer: false, stems: words('diabetes obesity dyslipidaemia gout hyperuricaemia') },
  { name: 'Endocrine disorders', cancer: false, stems: words('hypothyroidism hyperthyroidism thyroiditis acromegaly') },
  { name: 'Autoimmune diseases', cancer: false, stems: words('lupus vasculitis sarcoidosis myositis scleroderma') },
  {
    name: 'Musculoskeletal disorders',
    cancer: false,
    stems: words('arthritis osteoarthritis osteoporosis spondylitis'),
  },
  { name: 'Blood cancers', cancer: true, stems: words('leukaemia lymphoma myeloma myelodysplasia') },
  { name: 'Breast cancer', cancer: true, stems: words('carcinoma adenocarcinoma phyllodes') },
  { name: 'Prostate cancer', cancer: true, stems: words('adenocarcinoma neuroendocrine') },
  { name: 'Infectious diseases', cancer: false, stems: words('sepsis tuberculosis influenza candidiasis malaria') },
  { name: 'Allergic conditions', cancer: false, stems: words('rhinitis anaphylaxis conjunctivitis allergy') },
  { name: 'Eye diseases', cancer: false, stems: words('glaucoma retinopathy uveitis keratitis cataract') },
  { name: 'Pregnancy complications', cancer: false, stems: words('preeclampsia cholestasis hyperemesis') },
  { name: 'Oral health', cancer: false, stems: words('periodontitis gingivitis caries stomatitis') },
];

export const CONDITION_QUALIFIERS = words(`
  chronic acute severe mild moderate refractory recurrent early-onset late-onset paediatric adult juvenile
  hereditary familial sporadic metastatic localised advanced relapsed drug-induced seasonal atopic allergic
  erosive inflammatory non-alcoholic alcoholic secondary primary idiopathic congenital autoimmune post-infectious
  persistent episodic nodular diffuse focal bilateral
`);

export const CONDITION_SITES = words(`
  hand facial scalp truncal flexural plantar palmar nail oral perianal ocular hepatic renal pulmonary cardiac
  cerebral spinal pelvic abdominal cutaneous mucosal colonic gastric duodenal ileal
`);

// The API's own vocabulary, so generated data can never drift from what the schemas accept.
export { INTERVENTION_KINDS } from '../src/evidence/vocabulary.js';

export const BACTERIA_GENERA = words(
  'Lactobacillus Bifidobacterium Streptococcus Lactococcus Saccharomyces Bacillus Akkermansia Faecalibacterium Clostridium Enterococcus',
);
export const BACTERIA_SPECIES = words(
  'rhamnosus acidophilus casei paracasei plantarum reuteri fermentum longum breve infantis lactis animalis salivarius thermophilus boulardii coagulans muciniphila prausnitzii butyricum faecium',
);
export const PREBIOTICS = words(
  'inulin oligofructose galactooligosaccharides fructooligosaccharides lactulose resistant-starch beta-glucan psyllium pectin arabinoxylan polydextrose',
);
export const DIETS = words(
  'Mediterranean ketogenic vegan vegetarian low-FODMAP gluten-free low-carbohydrate high-fibre DASH paleolithic elimination anti-inflammatory low-glycaemic intermittent-fasting high-protein low-fat',
);
export const LIFESTYLE = words(
  'aerobic-exercise resistance-training yoga tai-chi mindfulness meditation sleep-hygiene smoking-cessation weight-loss walking cycling swimming stress-management sun-exposure',
);
export const MICROBIOME_FEATURES = words(
  'diversity richness dysbiosis abundance composition enterotype butyrate-production permeability colonisation',
);
export const DRUG_SYLLABLES = words(
  'a ba ce da fe ga li lo ma ne no pa ra re ri sa se ta ti to va ve vi xa za zo mo ru',
);
export const DRUG_SUFFIXES = words(
  'tinib rafenib ciclib parib lisib mab zumab ximab umab statin pril sartan olol dipine gliptin gliflozin glutide azole cycline floxacin vir prazole setron tidine lukast',
);
export const IMMUNOTHERAPY_TARGETS = words('PD-1 PD-L1 CTLA-4 LAG-3 TIGIT CD19 CD20 BCMA HER2 IL-17 IL-23 IL-4R IL-13');

/** Genes and variants for CIViC-style biomarkers ("BRAF V600E"). */
export const GENES = words(
  'BRAF EGFR KRAS NRAS ALK ROS1 MET RET ERBB2 PIK3CA PTEN TP53 KIT PDGFRA IDH1 IDH2 FLT3 NPM1 JAK2 ABL1 BCR BRCA1 BRCA2 ATM CDKN2A NTRK1 NTRK2 FGFR2 FGFR3 MYC CTNNB1 SMAD4 APC MLH1 MSH2 ESR1 AR ARID1A KEAP1 STK11',
);
export const AMINO = words('A R N D C Q E G H I L K M F P S T W Y V');

export const OUTCOMES = [
  'symptom severity',
  'disease activity',
  'flare frequency',
  'quality of life',
  'itch intensity',
  'lesion count',
  'remission rate',
  'relapse rate',
  'blood pressure',
  'glycaemic control',
  'body weight',
  'pain scores',
  'sleep quality',
  'hospital admissions',
  'all-cause mortality',
  'overall survival',
  'progression-free survival',
  'response to therapy',
  'treatment resistance',
  'adverse events',
  'incidence',
  'risk of onset',
  'cognitive function',
  'lung function',
  'inflammatory markers',
  'microbiome diversity',
];

export const POPULATIONS = [
  'adults',
  'children',
  'adolescents',
  'older adults',
  'pregnant women',
  'infants',
  'postmenopausal women',
  'outpatients',
  'hospitalised patients',
  'people',
];

export const COMPARATORS = [
  'placebo',
  'usual care',
  'no treatment',
  'standard therapy',
  'a control diet',
  'waiting list',
  'active comparator',
];

export const JOURNALS: [string, string][] = [
  ['The New England journal of medicine', 'N Engl J Med'],
  ['Lancet (London, England)', 'Lancet'],
  ['JAMA', 'JAMA'],
  ['BMJ (Clinical research ed.)', 'BMJ'],
  ['Nature medicine', 'Nat Med'],
  ['Science (New York, N.Y.)', 'Science'],
  ['Nature', 'Nature'],
  ['Cell', 'Cell'],
  ['Gut', 'Gut'],
  ['Gastroenterology', 'Gastroenterology'],
  ['The Journal of allergy and clinical immunology', 'J Allergy Clin Immunol'],
  ['The British journal of dermatology', 'Br J Dermatol'],
  ['Journal of the American Academy of Dermatology', 'J Am Acad Dermatol'],
  ['JAMA dermatology', 'JAMA Dermatol'],
  ['Clinics in dermatology', 'Clin Dermatol'],
  ['Journal of clinical oncology', 'J Clin Oncol'],
  ['Cancer discovery', 'Cancer Discov'],
  ['Blood', 'Blood'],
  ['Circulation', 'Circulation'],
  ['European heart journal', 'Eur Heart J'],
  ['Diabetes care', 'Diabetes Care'],
  ['The American journal of clinical nutrition', 'Am J Clin Nutr'],
  ['Nutrients', 'Nutrients'],
  ['PloS one', 'PLoS One'],
  ['Scientific reports', 'Sci Rep'],
  ['Frontiers in immunology', 'Front Immunol'],
  ['Frontiers in microbiology', 'Front Microbiol'],
  ['Microbiome', 'Microbiome'],
  ['Allergy', 'Allergy'],
  ['Pediatrics', 'Pediatrics'],
  ['The Cochrane database of systematic reviews', 'Cochrane Database Syst Rev'],
  ['Annals of internal medicine', 'Ann Intern Med'],
  ['Hepatology (Baltimore, Md.)', 'Hepatology'],
  ['Kidney international', 'Kidney Int'],
  ['Neurology', 'Neurology'],
  ['The Lancet. Neurology', 'Lancet Neurol'],
  ['JAMA psychiatry', 'JAMA Psychiatry'],
  ['Arthritis & rheumatology (Hoboken, N.J.)', 'Arthritis Rheumatol'],
  ['Thorax', 'Thorax'],
  ['The European respiratory journal', 'Eur Respir J'],
  ['Journal of investigative dermatology', 'J Invest Dermatol'],
  ['Experimental dermatology', 'Exp Dermatol'],
  ['International journal of molecular sciences', 'Int J Mol Sci'],
  ['BMC medicine', 'BMC Med'],
  ['Clinical nutrition (Edinburgh, Scotland)', 'Clin Nutr'],
];

export const FAMILY_NAMES = words(`
  Smith Jones Williams Brown Taylor Davies Wilson Evans Thomas Johnson Roberts Walker Wright Robinson Thompson
  White Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott Cooper Morris
  Ward Moore King Watson Baker Harrison Morgan Patel Young Allen Mitchell James Anderson Phillips Lee Bell Parker
  Davis Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann García Fernández González
  Rodríguez López Martínez Sánchez Pérez Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Dubois Durand
  Lefebvre Moreau Laurent Simon Michel Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Kim Park Choi Jung Kang
  Tanaka Suzuki Takahashi Watanabe Sato Nakamura Kobayashi Yamamoto Singh Kumar Sharma Gupta Khan Ali Ahmed
  Nielsen Hansen Jensen Andersen Larsen Johansson Karlsson Nilsson Eriksson Gopalakrishnan Wargo Andrews
`);

export const GIVEN_NAMES = words(`
  James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph
  Jessica Thomas Sarah Charles Karen Wei Min Jie Yan Hiroshi Yuki Anna Maria Lars Ingrid Pierre Claire Marco
  Giulia Carlos Lucía Priya Rahul Aisha Omar Emma Noah Olivia Liam Sofia Lukas Hannah Jonas Lea
`);

export const PUBLICATION_TYPES: Record<string, string[]> = {
  meta_analysis: ['Journal Article', 'Meta-Analysis', 'Systematic Review'],
  systematic_review: ['Journal Article', 'Systematic Review'],
  rct: ['Journal Article', 'Randomized Controlled Trial'],
  non_randomised_trial: ['Journal Article', 'Clinical Trial'],
  cohort: ['Journal Article', 'Observational Study'],
  case_control: ['Journal Article', 'Observational Study'],
  cross_sectional: ['Journal Article', 'Observational Study'],
  case_series: ['Journal Article'],
  case_report: ['Case Reports'],
  narrative_review: ['Journal Article', 'Review'],
  animal: ['Journal Article', 'Research Support, Non-U.S. Gov\u2019t'],
  in_vitro: ['Journal Article'],
  expert_opinion: ['Editorial'],
  other: ['Journal Article', 'Comparative Study'],
};

export const MESH_TERMS = words(`
  Humans Female Male Adult Child Aged Adolescent Infant Animals Mice Cohort_Studies Prospective_Studies
  Retrospective_Studies Cross-Sectional_Studies Case-Control_Studies Risk_Factors Treatment_Outcome
  Gastrointestinal_Microbiome Probiotics Dermatitis,_Atopic Psoriasis Melanoma Immunotherapy Diet
  Inflammation Biomarkers Prognosis Quality_of_Life Double-Blind_Method
`).map((t) => t.replaceAll('_', ' '));

export const CAVEAT_NOTES = [
  'Most studies were small and short.',
  'Findings rely on self-reported outcomes.',
  'Populations were drawn from a single region.',
  'Effect sizes varied widely across studies.',
  'Several studies were funded by manufacturers.',
  'Follow-up rarely exceeded twelve weeks.',
];

export const GRADE_RATIONALES: Record<string, string[]> = {
  high: ['Consistent randomised evidence with narrow confidence intervals.'],
  moderate: [
    'Randomised evidence downgraded once for imprecision.',
    'Randomised evidence downgraded for risk of bias.',
  ],
  low: [
    'Observational evidence without reasons to upgrade.',
    'Randomised evidence downgraded twice for imprecision and inconsistency.',
  ],
  very_low: [
    'Observational evidence downgraded for indirectness.',
    'Few small studies with serious risk of bias and imprecision.',
  ],
};
