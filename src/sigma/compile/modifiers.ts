// Reads a chain of value modifiers (`field|contains|all`) into a plan, rejecting unknown modifiers and
// combinations that have no meaning, with the reason.

export const TransformModifiers = ['expand', 'windash', 'wide', 'utf16le', 'utf16be', 'utf16', 'base64', 'base64offset'] as const;
export const AnchorModifiers = ['contains', 'startswith', 'endswith'] as const;
export const NumericModifiers = ['gt', 'gte', 'lt', 'lte'] as const;
export const TimeModifiers = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const;
const TypeModifiers = ['re', 'cidr', 'exists', 'fieldref'] as const;
const RegexFlagModifiers = ['i', 'm', 's'] as const;
const FlagModifiers = ['all', 'cased', 'neq'] as const;

export type TransformModifier = (typeof TransformModifiers)[number];
export type AnchorModifier = (typeof AnchorModifiers)[number];
export type NumericModifier = (typeof NumericModifiers)[number];
export type TimeModifier = (typeof TimeModifiers)[number];

export type ModifierPlan = {
  transforms: TransformModifier[];
  anchor: AnchorModifier | null;
  kind: 'string' | 're' | 'cidr' | 'exists' | 'fieldref' | 'numeric' | 'time';
  numeric: NumericModifier | null;
  time: TimeModifier | null;
  regexFlags: { caseInsensitive: boolean; multiline: boolean; dotAll: boolean };
  all: boolean;
  cased: boolean;
  neq: boolean;
};

const known = new Set<string>([...TransformModifiers, ...AnchorModifiers, ...NumericModifiers, ...TimeModifiers, ...TypeModifiers, ...RegexFlagModifiers, ...FlagModifiers]);
const has = <T extends string>(list: readonly T[], m: string): m is T => (list as readonly string[]).includes(m);

export function planModifiers(modifiers: readonly string[]): { ok: true; plan: ModifierPlan } | { ok: false; reason: string } {
  const plan: ModifierPlan = {
    transforms: [], anchor: null, kind: 'string', numeric: null, time: null,
    regexFlags: { caseInsensitive: false, multiline: false, dotAll: false }, all: false, cased: false, neq: false,
  };
  const setKind = (kind: ModifierPlan['kind'], m: string): string | null => {
    if (plan.kind !== 'string' && !(plan.kind === 'time' && kind === 'numeric')) return `modifier "${m}" cannot be combined with "${plan.kind}"`;
    if (plan.kind !== 'time') plan.kind = kind;
    return null;
  };
  for (const m of modifiers) {
    if (!known.has(m)) return { ok: false, reason: `unknown modifier "${m}"` };
    let problem: string | null = null;
    if (has(TransformModifiers, m)) plan.transforms.push(m);
    else if (has(AnchorModifiers, m)) {
      if (plan.anchor !== null && plan.anchor !== m) problem = `modifiers "${plan.anchor}" and "${m}" exclude each other`;
      plan.anchor = m;
    } else if (has(NumericModifiers, m)) {
      if (plan.numeric !== null) problem = `only one of ${NumericModifiers.join(', ')} may be used`;
      else problem = setKind('numeric', m);
      plan.numeric = m;
    } else if (has(TimeModifiers, m)) {
      if (plan.time !== null) problem = `only one time modifier may be used`;
      else if (plan.kind === 'numeric') plan.kind = 'time';
      else problem = setKind('time', m);
      plan.time = m;
    } else if (has(RegexFlagModifiers, m)) {
      if (plan.kind !== 're') problem = `modifier "${m}" is a sub-modifier of "re" and must follow it`;
      else if (m === 'i') plan.regexFlags.caseInsensitive = true;
      else if (m === 'm') plan.regexFlags.multiline = true;
      else plan.regexFlags.dotAll = true;
    } else if (m === 'all') plan.all = true;
    else if (m === 'cased') plan.cased = true;
    else if (m === 'neq') plan.neq = true;
    else problem = setKind(m as ModifierPlan['kind'], m);
    if (problem) return { ok: false, reason: problem };
  }
  const incompatible = (what: string) => ({ ok: false as const, reason: `modifier "${plan.kind}" cannot be combined with ${what}` });
  if (plan.kind !== 'string' && plan.kind !== 'fieldref' && plan.anchor) return incompatible(`"${plan.anchor}"`);
  if (plan.kind !== 'string' && plan.transforms.length > 0 && !(plan.kind === 're' && plan.transforms.every((t) => t === 'expand'))) {
    return incompatible(`"${plan.transforms[0]}"`);
  }
  if ((plan.kind === 're' || plan.kind === 'cidr' || plan.kind === 'numeric' || plan.kind === 'time' || plan.kind === 'exists') && plan.cased) {
    return incompatible('"cased"');
  }
  return { ok: true, plan };
}
