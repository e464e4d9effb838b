/**
 * Rows of a register file → customers as normalized identifiers, or errors by row.
 * A column mapping says which column holds what; without one, the header row is read
 * by its names (客户名称, 联系人, 手机, 电话, 身份证号, 密级 and common variants). Any row
 * error refuses the whole import (the last good register stays); errors carry a code
 * the console words in Chinese or English, a 1-based row number and the column title.
 */
import { LEVELS, type Level } from '../../utils/detect/types';
import { normalizeName, numbersInCell } from '../../utils/register/normalize';

export const REGISTER_FIELDS = ['name', 'contacts', 'mobile', 'phone', 'idNumber', 'level'] as const;
export type RegisterField = (typeof REGISTER_FIELDS)[number];
/** Column index per field (-1 / absent: not in the file). */
export type ColumnMapping = Partial<Record<RegisterField, number>>;

const HEADER_NAMES: Record<RegisterField, readonly string[]> = {
  name: ['客户名称', '客户名', '公司名称', '单位名称', '企业名称', 'customer', 'customername', 'company', 'name'],
  contacts: ['联系人', '联系人姓名', '负责人', '法定代表人', 'contact', 'contacts'],
  mobile: ['手机', '手机号', '手机号码', '移动电话', 'mobile', 'cellphone'],
  phone: ['电话', '座机', '固定电话', '联系电话', '办公电话', 'phone', 'telephone', 'tel'],
  idNumber: ['身份证号', '身份证', '身份证号码', 'idnumber', 'residentid'],
  level: ['密级', '保密级别', '客户密级', '级别', 'level', 'classification'],
};

const LEVEL_NAMES: Record<string, Level> = {
  秘密: '秘密',
  机密: '机密',
  绝密: '绝密',
  secret: '秘密',
  confidential: '机密',
  topsecret: '绝密',
};

export interface RowError {
  /** 1-based row of the file (the header is row 1). */
  row: number;
  /** The column's title in the file (or the field when the column is missing). */
  column: string;
  code:
    | 'register-level-unknown'
    | 'register-level-missing'
    | 'register-name-missing'
    | 'register-number-unreadable'
    | 'register-number-scientific'
    | 'register-number-no-area-code'
    | 'register-no-identifier'
    | 'register-column-missing';
}

export interface ImportCustomer {
  /** Normalized customer name (its keyed hash identifies the customer). */
  key: string;
  level: Level;
  names: Set<string>;
  numbers: Set<string>;
}

export interface ImportResult {
  customers: ImportCustomer[];
  errors: RowError[];
  rows: number;
  identifiers: number;
}

export function suggestMapping(header: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const folded = header.map((title) => normalizeName(title));
  for (const field of REGISTER_FIELDS) {
    const index = folded.findIndex((title) => HEADER_NAMES[field].includes(title));
    if (index >= 0) mapping[field] = index;
  }
  return mapping;
}

export function parseLevel(cell: string): Level | null {
  return LEVEL_NAMES[normalizeName(cell)] ?? null;
}

/** Contacts cell: several people separated by 、，,;；/ or new lines. */
function splitNames(cell: string): string[] {
  return cell
    .split(/[、,，;；/|\n]/)
    .map(normalizeName)
    .filter((name) => name.length > 0);
}

const MAX_ERRORS = 200;

export function importRows(rows: readonly (readonly string[])[], mapping: ColumnMapping): ImportResult {
  const header = rows[0] ?? [];
  const errors: RowError[] = [];
  const title = (field: RegisterField) => {
    const index = mapping[field];
    return index !== undefined && index >= 0 ? (header[index] ?? field) : field;
  };
  const columnOf = (field: RegisterField) => {
    const index = mapping[field];
    return index !== undefined && index >= 0 && index < 1000 ? index : -1;
  };
  for (const field of ['name', 'level'] as const) {
    if (columnOf(field) < 0) errors.push({ row: 1, column: field, code: 'register-column-missing' });
  }
  if (errors.length > 0) return { customers: [], errors, rows: 0, identifiers: 0 };

  const byKey = new Map<string, ImportCustomer>();
  let identifiers = 0;
  let dataRows = 0;
  for (let r = 1; r < rows.length && errors.length < MAX_ERRORS; r++) {
    const row = rows[r]!;
    const cell = (field: RegisterField) => {
      const index = columnOf(field);
      return index >= 0 ? (row[index] ?? '').trim() : '';
    };
    if (row.every((value) => value.trim() === '')) continue; // blank line
    dataRows++;
    const rowNumber = r + 1;
    const name = normalizeName(cell('name'));
    if (!name) errors.push({ row: rowNumber, column: title('name'), code: 'register-name-missing' });
    const levelCell = cell('level');
    const level = parseLevel(levelCell);
    if (!levelCell) errors.push({ row: rowNumber, column: title('level'), code: 'register-level-missing' });
    else if (!level) errors.push({ row: rowNumber, column: title('level'), code: 'register-level-unknown' });
    const numbers: string[] = [];
    for (const field of ['mobile', 'phone', 'idNumber'] as const) {
      const value = cell(field);
      if (!value) continue;
      const found = numbersInCell(value);
      if (found.length === 0) errors.push({ row: rowNumber, column: title(field), code: unreadableNumberCode(value) });
      numbers.push(...found);
    }
    const contacts = splitNames(cell('contacts'));
    if (!name || !level) continue;
    const customer = byKey.get(name) ?? { key: name, level, names: new Set([name]), numbers: new Set<string>() };
    // The same customer on several rows (one row per contact, as CRMs export): merged, highest level.
    if (LEVELS.indexOf(level) > LEVELS.indexOf(customer.level)) customer.level = level;
    for (const contact of contacts) customer.names.add(contact);
    for (const number of numbers) customer.numbers.add(number);
    byKey.set(name, customer);
  }
  const customers = [...byKey.values()];
  for (const customer of customers) identifiers += customer.names.size + customer.numbers.size;
  return { customers, errors, rows: dataRows, identifiers };
}

/**
 * Why a number cell gave no number, when the fix is known: a CSV saved by Excel writes a
 * long number column as it shows it (1.38123E+10: the last digits are gone, only
 * exporting the column as text again recovers them); a local landline without its area
 * code cannot be told from other 7–8 digit numbers, so the guard would never match it.
 */
export function unreadableNumberCode(cell: string): RowError['code'] {
  const value = cell.trim();
  if (/^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$/.test(value)) return 'register-number-scientific';
  if (/^\d{7,8}$/.test(value.replace(/[\s\-()（）]/g, ''))) return 'register-number-no-area-code';
  return 'register-number-unreadable';
}
