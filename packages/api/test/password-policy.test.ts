// Issue 12: the password policy (NIST SP 800-63B: length, not composition), as the engine and both web forms apply it.
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../src/password-policy.ts';

describe('password policy', () => {
  it('accepts a long passphrase of any characters, spaces and letters beyond ASCII included', () => {
    expect(passwordProblem('violet kettle under a brave moon')).toBeNull();
    expect(passwordProblem('Zürich çafé naïve 2026')).toBeNull();
    expect(passwordProblem('x7#Lq!9vR2@m')).toBeNull();
  });

  it('refuses fewer than 12 characters and more than 128, counting characters rather than UTF-16 units', () => {
    expect(passwordProblem('demo1234')?.rule).toBe('length');
    expect(passwordProblem('a'.repeat(3) + 'b9c8d7e6')?.rule).toBe('length');
    expect(passwordProblem('🙂🙂🙂🙂🙂🙂x7#Lq')?.rule).toBe('length');
    expect(passwordProblem('q'.repeat(64) + 'w'.repeat(65))?.rule).toBe('length');
  });

  it('refuses the account’s email, its local part or username inside the password', () => {
    expect(passwordProblem('jane.doe@broker.example!!', { email: 'jane.doe@broker.example' })?.rule).toBe('identity');
    expect(passwordProblem('my name is Jane.Doe ok', { email: 'jane.doe@broker.example' })?.rule).toBe('identity');
    expect(passwordProblem('hello dealer42 there', { email: 'x@y.z', username: 'dealer42' })?.rule).toBe('identity');
  });

  it('refuses common passwords, also with digits or punctuation after them, and plain runs', () => {
    for (const p of ['passwordpassword', 'Password1234', 'P@ssw0rd2024!!', 'qwertyuiop12', 'iloveyou2026!', '123456789012']) expect(passwordProblem(p)?.rule, p).toBe('common');
    for (const p of ['aaaaaaaaaaaa', 'abcdefghijklm', 'zyxwvutsrqpo', 'abcdefghij12']) expect(passwordProblem(p)?.rule, p).toBe('repetitive');
  });
});
