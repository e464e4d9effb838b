/**
 * Form inputs bound to a path of the policy draft. The draft may hold anything the
 * JSON tab let through, so values are read defensively and errors are looked up by
 * the same dotted path validatePolicy reports.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { getIn, pathKey, type Path } from '../lib/path';

export interface DraftForm {
  draft: unknown;
  set: (path: Path, value: unknown) => void;
  errors: Map<string, string[]>;
  readOnly: boolean;
}

export const DraftContext = createContext<DraftForm>({ draft: null, set: () => undefined, errors: new Map(), readOnly: true });

export function useDraft(): DraftForm & { get: (path: Path) => unknown } {
  const form = useContext(DraftContext);
  return { ...form, get: (path: Path) => getIn(form.draft, path) };
}

export function FieldErrors({ path, deep = false }: { path: Path; deep?: boolean }) {
  const { errors } = useContext(DraftContext);
  const key = pathKey(path);
  const messages = deep
    ? [...errors.entries()].filter(([at]) => at === key || at.startsWith(`${key}.`)).flatMap(([at, list]) => list.map((m) => `${at}: ${m}`))
    : (errors.get(key) ?? []);
  if (messages.length === 0) return null;
  return (
    <ul class="field-errors" data-error-path={key}>
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

function Labeled({ label, path, children, inline }: { label: string; path: Path; children: ComponentChildren; inline?: boolean }) {
  const { errors } = useContext(DraftContext);
  const invalid = errors.has(pathKey(path));
  return (
    <label class={`field${inline ? ' field-inline' : ''}${invalid ? ' invalid' : ''}`}>
      <span>{label}</span>
      {children}
      <FieldErrors path={path} />
    </label>
  );
}

export function TextField({ path, label, wide, testId }: { path: Path; label: string; wide?: boolean; testId?: string }) {
  const { get, set, readOnly } = useDraft();
  const value = get(path);
  return (
    <Labeled label={label} path={path}>
      <input
        class={wide ? 'wide' : ''}
        data-testid={testId}
        value={typeof value === 'string' ? value : value == null ? '' : String(value)}
        disabled={readOnly}
        onInput={(e) => set(path, e.currentTarget.value)}
      />
    </Labeled>
  );
}

/** A number input; text that is not a number stays a string so validation names the field. */
export function NumberField({ path, label, step, testId }: { path: Path; label: string; step?: number; testId?: string }) {
  const { get, set, readOnly } = useDraft();
  const value = get(path);
  return (
    <Labeled label={label} path={path}>
      <input
        type="number"
        step={step ?? 1}
        data-testid={testId}
        value={typeof value === 'number' || typeof value === 'string' ? value : ''}
        disabled={readOnly}
        onInput={(e) => {
          const text = e.currentTarget.value;
          const number = Number(text);
          set(path, text.trim() !== '' && Number.isFinite(number) ? number : text);
        }}
      />
    </Labeled>
  );
}

export function CheckField({ path, label, testId }: { path: Path; label: string; testId?: string }) {
  const { get, set, readOnly } = useDraft();
  return (
    <Labeled label={label} path={path} inline>
      <input
        type="checkbox"
        data-testid={testId}
        checked={get(path) === true}
        disabled={readOnly}
        onChange={(e) => set(path, e.currentTarget.checked)}
      />
    </Labeled>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectInput({ path, options, ariaLabel }: { path: Path; options: Option[]; ariaLabel?: string }) {
  const { get, set, readOnly } = useDraft();
  const value = get(path);
  const known = options.some((option) => option.value === value);
  return (
    <select
      aria-label={ariaLabel}
      value={typeof value === 'string' ? value : ''}
      disabled={readOnly}
      onChange={(e) => set(path, e.currentTarget.value)}
    >
      {!known && <option value={typeof value === 'string' ? value : ''}>{value == null ? '—' : String(value)}</option>}
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

export function SelectField({ path, label, options }: { path: Path; label: string; options: Option[] }) {
  return (
    <Labeled label={label} path={path}>
      <SelectInput path={path} options={options} />
    </Labeled>
  );
}
