// A symbol's UTC sessions in the specification dialog: runs of days with the same hours on one line.
import { describe, expect, it } from 'vitest';
import { dayName, tradingHoursLines } from '../src/terminal/trading-hours.ts';

describe('tradingHoursLines', () => {
  it('forex: Sunday evening, Monday to Thursday all day, Friday until 22:00', () => {
    const fx = [
      { day: 'SUNDAY', open: '22:00', close: '24:00' },
      { day: 'MONDAY', open: '00:00', close: '24:00' },
      { day: 'TUESDAY', open: '00:00', close: '24:00' },
      { day: 'WEDNESDAY', open: '00:00', close: '24:00' },
      { day: 'THURSDAY', open: '00:00', close: '24:00' },
      { day: 'FRIDAY', open: '00:00', close: '22:00' },
    ];
    expect(tradingHoursLines(fx)).toEqual(['Mon–Thu 00:00–24:00', 'Fri 00:00–22:00', 'Sun 22:00–24:00']);
  });
  it('a day with a break keeps both sessions, in order', () => {
    expect(
      tradingHoursLines([
        { day: 'MONDAY', open: '13:00', close: '24:00' },
        { day: 'MONDAY', open: '00:00', close: '12:00' },
        { day: 'WEDNESDAY', open: '00:00', close: '12:00' },
      ]),
    ).toEqual(['Mon 00:00–12:00, 13:00–24:00', 'Wed 00:00–12:00']);
  });
  it('no sessions means always open', () => {
    expect(tradingHoursLines([])).toEqual(['Always open']);
    expect(dayName('WEDNESDAY')).toBe('Wednesday');
  });
});
