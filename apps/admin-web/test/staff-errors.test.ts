import { ERROR_CODES } from '@broker/api/errors';
import { describe, expect, it } from 'vitest';
import { STAFF_ERRORS, staffMessage } from '../src/trpc/errors.ts';
import { HUMAN_ERRORS } from '@broker/ui/errors';

describe('staff error messages', () => {
  it('has a sentence for every engine code', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(STAFF_ERRORS[code] ?? HUMAN_ERRORS[code], code).toBeTruthy();
  });
  it('keeps the engine’s figures after the sentence', () => {
    expect(staffMessage({ code: 'DEPOSIT_LIMIT', message: 'At most 1000000.00 in one operation; this was 1000000000.00' }).message).toBe(
      'The amount is above the limit for one operation. Check it for a typo, or split it. At most 1000000.00 in one operation; this was 1000000000.00.',
    );
  });
  it('drops the engine’s generic text and speaks to staff, not the trader', () => {
    expect(staffMessage({ code: 'ACCOUNT_NOT_FOUND', message: ERROR_CODES.ACCOUNT_NOT_FOUND }).message).toBe('There is no such trading account.');
    expect(staffMessage({ code: 'ALREADY_REVERSED', message: 'Entry 12 was reversed by 14' }).message).toBe('This entry has already been reversed. Entry 12 was reversed by 14.');
  });
  it('leaves an unknown code as the engine said it', () => {
    expect(staffMessage({ code: 'BRAND_NEW', message: 'Something new' })).toEqual({ code: 'BRAND_NEW', message: 'Something new' });
  });
});
