// Every code the engine can return has a sentence for the trader (no raw INVALID_VOLUME on screen).
import { ERROR_CODES } from '@broker/api/errors';
import { ERROR_FIELDS, HUMAN_ERRORS, humanError } from '@broker/ui/errors';
import { describe, expect, it } from 'vitest';

describe('human error messages', () => {
  it('has a message for every engine code', () => {
    const missing = Object.keys(ERROR_CODES).filter((c) => !HUMAN_ERRORS[c]);
    expect(missing).toEqual([]);
    for (const [code, text] of Object.entries(HUMAN_ERRORS)) {
      expect(text).not.toContain(code);
      expect(text).toMatch(/^[A-Z"'T].*[.!]$/);
    }
  });
  it('keeps the engine’s figures after the sentence', () => {
    const h = humanError({ code: 'INVALID_VOLUME', message: 'Volume must be between 0.01 and 100 lots' });
    expect(h.message).toBe('This volume is not allowed for the symbol. Volume must be between 0.01 and 100 lots.');
    expect(humanError({ code: 'MARKET_CLOSED', message: 'Market is closed' }).message).toBe(
      'The market for this symbol is closed. Try again when it opens. Market is closed.',
    );
    expect(humanError({ code: 'SOMETHING_NEW', message: 'As the engine says' }).message).toBe('As the engine says');
  });
  it('points the order codes at the ticket field they are about', () => {
    expect(ERROR_FIELDS.INVALID_VOLUME).toBe('volume');
    expect(ERROR_FIELDS.INSUFFICIENT_MARGIN).toBe('volume');
    expect(ERROR_FIELDS.INVALID_STOPS).toBe('sl');
    expect(ERROR_FIELDS.INVALID_PRICE).toBe('price');
    expect(ERROR_FIELDS.INVALID_EXPIRY).toBe('expiresAt');
  });
});
