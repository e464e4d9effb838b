/** Shared query-string schemas for admin listings. */
import { z } from 'zod';

/** An ISO date or date-time, normalized to the stored form (UTC ISO with milliseconds). */
export const isoTime = z
  .string()
  .trim()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO date or date-time')
  .transform((s) => new Date(s).toISOString());

export const pageSchema = z.coerce.number().int().min(1).max(1_000_000).default(1);
export const pageSizeSchema = z.coerce.number().int().min(1).max(200).default(50);
export const shortText = z.string().trim().min(1).max(300);
