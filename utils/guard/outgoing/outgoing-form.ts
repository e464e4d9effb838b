/**
 * What a form submission carries, in both worlds: the MAIN-world `form.submit()` hook and
 * the isolated-world submit listener build the same text from the same FormData.
 */
import { joinText, resolveDestination, type Destination } from './outgoing-text';

export interface FormPayload {
  /** `name=value` lines of the text fields (the submitter's included). */
  text: string;
  files: File[];
  destination: Destination;
  /** `dialog` forms close a dialog and send nothing. */
  sendsNothing: boolean;
  /** A non-empty field, a file, or data in the action URL's query. */
  hasData: boolean;
}

export interface FormEnv {
  FormData: typeof FormData;
  File: typeof File;
  baseURI: string;
  URL?: typeof URL;
}

/** Largest file whose content is read for the upload channel. */
export const MAX_UPLOAD_SCAN_BYTES = 1024 * 1024;

export function formPayload(form: HTMLFormElement, submitter: HTMLElement | null, env: FormEnv): FormPayload {
  let data: FormData;
  try {
    data = submitter ? new env.FormData(form, submitter) : new env.FormData(form);
  } catch {
    // A submitter that is not a submit button of this form: FormData without it.
    data = new env.FormData(form);
  }
  const lines: string[] = [];
  const files: File[] = [];
  for (const [name, value] of data) {
    if (typeof value === 'string') {
      if (value.length > 0) lines.push(`${name}=${value}`);
    } else if (value instanceof env.File && (value.name.length > 0 || value.size > 0)) {
      files.push(value);
    }
  }
  const action = submitterAttr(submitter, 'formaction') ?? form.getAttribute('action') ?? '';
  const method = (submitterAttr(submitter, 'formmethod') ?? form.getAttribute('method') ?? 'get').toLowerCase();
  const destination = resolveDestination(action === '' ? env.baseURI : action, env.baseURI, env.URL);
  const hasData = lines.length > 0 || files.length > 0 || /[?#]./.test(destination.href ?? '');
  return { text: joinText([destination.text, ...lines]), files, destination, sendsNothing: method === 'dialog', hasData };
}

function submitterAttr(submitter: HTMLElement | null, name: string): string | null {
  if (!submitter || !submitter.hasAttribute(name)) return null;
  return submitter.getAttribute(name);
}

/** Text files worth reading: by MIME type, or by extension when the type is empty. */
export function isTextFile(file: File): boolean {
  const type = file.type.toLowerCase();
  if (type.startsWith('text/')) return true;
  if (/(json|xml|csv|javascript|x-yaml|x-sh|sql)/.test(type)) return true;
  if (type === '' || type === 'application/octet-stream') {
    return /\.(txt|csv|tsv|json|xml|md|html?|log|ya?ml|sql|ini|conf|vcf)$/i.test(file.name);
  }
  return false;
}

/** Text for the upload channel: every file name, and the content of text files ≤ 1 MB. */
export async function uploadText(files: readonly File[]): Promise<string> {
  const parts: string[] = [];
  for (const file of files) {
    parts.push(file.name);
    if (file.size <= MAX_UPLOAD_SCAN_BYTES && isTextFile(file)) {
      try {
        parts.push(await file.text());
      } catch {
        // Unreadable (file moved or deleted since it was picked): the browser will fail to send it too.
      }
    }
  }
  return joinText(parts);
}
