// Writes docs/rules.md, the rules reference, from the default policy: the record kinds and their fields (the kind
// registry), the categories, scoring items, grades and vetoes (describePolicy, zh and en), the enterprise-practice
// rule, the quota, the growth path (the requirement trees with the labels the library gives) and title review.
// Nothing in the file is written by hand, so it cannot drift: test/rules-doc.test.ts regenerates it and fails
// when the committed file differs.
//
//   node packages/core/scripts/rules-doc.mjs          write docs/rules.md
//   node packages/core/scripts/rules-doc.mjs --check  exit 1 when docs/rules.md is stale
//   … --file <path>                                  another file instead of docs/rules.md
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultPolicy, describePolicy, evaluateRequirements, labels, registryOf, stages } from '../dist/index.js';

export const rulesFile = fileURLToPath(new URL('../../../docs/rules.md', import.meta.url));

/** A table cell: no pipes or line breaks. */
const cell = (value) => String(value).replaceAll('|', '\\|').replaceAll('\n', ' ');
const row = (cells) => `| ${cells.map(cell).join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const both = (label) => `${label.zh} / ${label.en}`;

function fieldType(spec) {
  switch (spec.type) {
    case 'date':
      return 'date YYYY-MM-DD';
    case 'year':
      return 'academic year (2025 = 2025-2026)';
    case 'text':
      return 'text (1–500 characters)';
    case 'text_list':
      return `list of texts (at most ${spec.maxItems})`;
    case 'teacher_ref':
      return "another teacher's id";
    case 'enum':
      return `one of: ${Object.entries(spec.values)
        .map(([value, label]) => `\`${value}\` ${label.zh} / ${label.en}`)
        .join('; ')}`;
    case 'integer':
      return `integer ${spec.min}–${spec.max}`;
    case 'yuan':
      return 'whole yuan';
    case 'decimal':
      return `decimal ${spec.min}–${spec.max}`;
    case 'team_rank':
      return '1-based rank in the team (default 1)';
    case 'team_share':
      return 'explicit share in (0, 1], instead of the rank table';
    default:
      return spec.type;
  }
}

function placement(declaration) {
  const place = declaration.placement;
  const where =
    place.by === 'date'
      ? `in the academic year of \`${place.field}\`${place.whileAbsent ? ` (while it is absent, of \`${place.whileAbsent}\`)` : ''}`
      : place.by === 'period'
        ? `in every academic year the period \`${place.start}\`–\`${place.end}\` overlaps`
        : `in the academic year \`${place.field}\` names`;
  return declaration.scoredOn ? `${where}; scored in the year of \`${declaration.scoredOn}\`` : where;
}

function kindsSection(policy) {
  const registry = registryOf(policy);
  const out = [
    '## Record kinds',
    '',
    'Every record has `id`, `teacherId`, `kind` and `status` (`verified`, `pending`, `rejected`); only verified records score. A team kind also takes `rank` and `share` (its share of the points: by the rank table `shareByRank` unless `share` is given).',
    '',
  ];
  for (const kind of registry.kindIds) {
    const compiled = registry.kind(kind);
    const declaration = compiled.declaration;
    const notes = [`placed ${placement(declaration)}`];
    if (declaration.team) notes.push('team result');
    if (declaration.declarable === false) notes.push('entered by HR, not declared by teachers');
    out.push(`### \`${kind}\` ${both(declaration.label)}`, '', `${notes.join('; ')}.`, '');
    out.push(
      table(
        ['field', '字段', 'name', 'type', 'required'],
        compiled.fields.map(([name, spec]) => [`\`${name}\``, spec.label.zh, spec.label.en, fieldType(spec), spec.optional ? 'optional' : 'required']),
      ),
      '',
    );
  }
  return out;
}

function appraisalSection(policy) {
  const zh = describePolicy(policy, 'zh');
  const en = describePolicy(policy, 'en');
  const out = ['## Appraisal (量化考核)', '', 'Each category sums its lines and is capped; the total is the sum of the capped categories. Points are exact to 0.01.', ''];
  out.push(
    '### Categories',
    '',
    table(
      ['id', '类别', 'category', 'cap'],
      en.categories.map((category, index) => [`\`${category.id}\``, zh.categories[index].label, category.label, category.cap]),
    ),
    '',
  );
  out.push('### Scoring items', '');
  en.categories.forEach((category, index) => {
    const zhCategory = zh.categories[index];
    out.push(`#### ${zhCategory.label} / ${category.label} (at most ${category.cap})`, '');
    category.lines.forEach((line, at) => {
      const zhLine = zhCategory.lines[at];
      out.push(`- **${zhLine.item} / ${line.item}** (\`${line.id}\`): ${line.basis} (${zhLine.basis})`);
      for (const limit of line.limits) out.push(`  - ${limit}`);
      if (line.points.length > 0) {
        out.push(
          '',
          table(
            ['条件', 'when', 'points'],
            line.points.map((entry, i) => [zhLine.points[i].when, entry.when, entry.points]),
          ).replace(/^/gm, '  '),
          '',
        );
      }
    });
    out.push('');
  });
  out.push(
    '### Grades',
    '',
    table(
      ['等次', 'grade', 'from total'],
      en.grades.map((grade, index) => [zh.grades[index].label, `\`${grade.grade}\` ${grade.label}`, grade.min === null ? 'otherwise' : `≥ ${grade.min}`]),
    ),
    '',
  );
  out.push('### Vetoes (一票否决)', '', 'Applied in this order after the grade bands; each also removes title-review eligibility for the year.', '');
  en.vetoes.forEach((veto, index) => out.push(`- \`${policy.appraisal.vetoes[index].id}\`: ${veto} (${zh.vetoes[index]})`));
  const tieBreak = policy.appraisal.excellenceQuota.tieBreak.map((id) => {
    const category = policy.appraisal.categories.find((entry) => entry.id === id);
    return `\`${id}\` ${both(category.label)}`;
  });
  out.push(
    '',
    '### Excellence quota',
    '',
    `${en.quota} (${zh.quota})`,
    '',
    `Within a unit, ties after the total are broken by the capped points of ${tieBreak.join(' + ') || 'no category'} (\`excellenceQuota.tieBreak\`), then counted enterprise-practice days, then teacher id. Title review breaks ties the same way.`,
    '',
  );
  return { out, zh, en };
}

function requirementLines(result, depth) {
  const indent = '  '.repeat(depth);
  const label = result.label ? `${result.label.zh} / ${result.label.en}` : result.id;
  const leaf = result.children === undefined && result.required !== undefined;
  const needs = leaf ? (typeof result.required === 'number' ? ` ≥ ${result.required}` : ` ${result.required}`) : '';
  const lines = [`${indent}- ${label} (\`${result.id}\`: ${result.type}${needs})`];
  for (const child of result.children ?? []) lines.push(...requirementLines(child, depth + 1));
  return lines;
}

function growthSection(policy) {
  // The requirement trees as the library labels them: evaluated for a teacher with no records, whose results
  // are ignored (only the labels are shown).
  const teacher = { id: 'reference', name: 'reference', unit: 'reference', hireDate: '2020-09-01', stage: 'new_teacher', stageSince: '2020-09-01', title: 'lecturer', titleSince: '2020-09-01' };
  const out = ['## Growth path (成长路径)', '', `Stages, lowest first: ${stages.map((stage) => `\`${stage}\` ${both(labels.stages[stage])}`).join(' → ')}. To leave a stage for the next one a teacher meets its tree (\`all_of\`: every line; \`any_of\`: one of them).`, ''];
  for (const [index, stage] of stages.slice(0, -1).entries()) {
    const tree = policy.growth.transitions[stage];
    const { requirements } = evaluateRequirements(tree, { ...teacher, stage }, [], '2026-09-01', policy);
    out.push(`### ${both(labels.stages[stage])} → ${both(labels.stages[stages[index + 1]])}`, '', ...requirementLines(requirements, 0), '');
  }
  return out;
}

function titleReviewSection(policy) {
  const review = policy.titleReview;
  const out = [
    '## Title review (职称评审)',
    '',
    `A teacher applies for the next title. Eligible when, in each of the last ${review.windowYears} completed academic years, the appraisal grade is at least ${both(labels.grades[review.minGrade])} and no veto applied (enterprise practice compliant), and the whole years at the current title reach the target's. The review score is the mean appraisal total of those years; it passes at the target's minimum.`,
    '',
  ];
  out.push(
    table(
      ['职称', 'target title', 'whole years at the current title', `mean total of the last ${review.windowYears} years`],
      Object.entries(review.targets).map(([title, target]) => [labels.titles[title].zh, `\`${title}\` ${labels.titles[title].en}`, `≥ ${target.minYearsAtTitle}`, `≥ ${target.minScore}`]),
    ),
    '',
  );
  return out;
}

/** The rules reference of a policy, as Markdown. */
export function renderRules(policy = defaultPolicy) {
  const { out: appraisal, en, zh } = appraisalSection(policy);
  const start = policy.calendar.yearStart;
  return [
    `# Rules reference: ${zh.name} / ${en.name}`,
    '',
    '<!-- Generated by `npm run docs:rules` (packages/core/scripts/rules-doc.mjs) from the default policy. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    `Policy version \`${policy.version}\`. Every number below is the policy's own (\`defaultPolicy\` of \`@shizi/core\`); an institution replaces the policy, and \`describePolicy(policy, 'zh' | 'en')\` prints any policy's table the same way.`,
    '',
    `An academic year starts on ${String(start.month).padStart(2, '0')}-${String(start.day).padStart(2, '0')} and is named by its first calendar year (2025 means 2025-2026). Team shares by rank: ${policy.shareByRank.join(', ')} (ranks beyond take the last).`,
    '',
    ...kindsSection(policy),
    ...appraisal,
    '## Enterprise practice (企业实践)',
    '',
    `${en.practice}. Overlapping periods count each day once.`,
    '',
    `${zh.practice}。重叠的时段每天只计一次。`,
    '',
    ...growthSection(policy),
    ...titleReviewSection(policy),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderRules();
  const at = process.argv.indexOf('--file');
  const file = at === -1 ? rulesFile : process.argv[at + 1];
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {}
    if (current !== text) {
      console.error(`${file} is stale: run \`npm run docs:rules\``);
      process.exit(1);
    }
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
