// The password policy (issue 12), after NIST SP 800-63B §5.1.1.2: length, not composition rules. A password
// someone chooses (account create, a staff user, a password change) must be 12 to 128 characters, must not
// contain the account's email, its local part or its username, must not be one of the commonly used passwords
// below, nor one character repeated or a plain run (abcdefghijkl, 123456789012). Any character is allowed,
// spaces included (a passphrase is the point). Checked by the engine on every password it stores, and by the
// web forms before they send one (the same function, so the message is the same next to the field).

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Commonly used passwords of 12 characters or more (shorter ones fail on length), from the public breach
 * top lists; compared without case and with trailing digits and punctuation removed, so "Password123!" and
 * "passwordpassword2024" are refused too.
 */
const COMMON = new Set(
  [
    'password', 'passwordpassword', 'password1234', 'qwertyuiop', 'qwertyuiopasdfghjkl', 'qwertyqwerty', 'asdfghjkl',
    'asdfasdfasdf', 'zxcvbnm', 'iloveyou', 'iloveyouiloveyou', 'letmein', 'letmeinplease', 'welcome', 'welcomewelcome',
    'administrator', 'admin', 'adminadmin', 'changeme', 'changemeplease', 'trustno', 'monkey', 'dragon', 'football',
    'baseball', 'superman', 'batman', 'starwars', 'sunshine', 'princess', 'whatever', 'master', 'mastermaster',
    'secret', 'secretpassword', 'mypassword', 'mysecretpassword', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'pa$$word',
    'default', 'defaultpassword', 'login', 'loginlogin', 'qazwsxedc', 'qazwsxedcrfv', '1qaz2wsx3edc', '1q2w3e4r5t6y',
    'q1w2e3r4t5y6', 'zaq12wsx', 'abc123abc123', 'broker', 'brokerpassword', 'trading', 'tradingpassword', 'forex',
    'forextrading', 'bitcoin', 'bitcoinbitcoin', 'correcthorsebatterystaple', 'thequickbrownfox',
    'thequickbrownfoxjumpsoverthelazydog', 'iamthebest', 'letmeinnow', 'helloworld', 'hellohello', 'computer',
    'internet', 'michael', 'jennifer', 'jordan', 'charlie', 'shadow', 'summer', 'winter', 'spring', 'autumn',
    'january', 'february', 'december', 'november', 'october', 'september', 'qwerty', 'qwertyuiop[]', 'azerty',
    'azertyuiop', 'demo', 'demodemo', 'test', 'testtest', 'testpassword', 'testing', 'user', 'username', 'guest',
    'root', 'rootroot', 'toor', 'pass', 'passpass', 'access', 'accessdenied', 'freedom', 'ninja', 'mustang',
    'liverpool', 'chelsea', 'arsenal', 'manchesterunited', 'blink', 'pokemon', 'minecraft', 'fortnite',
  ].map((p) => p.toLowerCase()),
);

export type PasswordRule = 'length' | 'identity' | 'common' | 'repetitive';

export interface PasswordProblem {
  rule: PasswordRule;
  message: string;
}

/** Who the password is for: it may not contain these. */
export interface PasswordContext {
  email?: string | null;
  username?: string | null;
}

const strip = (s: string) => s.toLowerCase().replace(/[\d\s!-/:-@[-`{-~]+$/u, '');

/** A run of one character, or of consecutive characters up or down (abcdef…, 987654…), over the whole password. */
function isRun(p: string): boolean {
  if (p.length < 2) return true;
  if ([...p].every((ch) => ch === p[0])) return true;
  const codes = [...p.toLowerCase()].map((ch) => ch.codePointAt(0)!);
  const step = codes[1]! - codes[0]!;
  if (Math.abs(step) !== 1) return false;
  return codes.every((c, i) => i === 0 || c - codes[i - 1]! === step);
}

/** Why the password may not be used, or null when it meets the policy. Counts characters, not UTF-16 units. */
export function passwordProblem(password: string, ctx: PasswordContext = {}): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return { rule: 'length', message: `Use at least ${PASSWORD_MIN_LENGTH} characters (a few words make a good one)` };
  if (length > PASSWORD_MAX_LENGTH) return { rule: 'length', message: `Use at most ${PASSWORD_MAX_LENGTH} characters` };
  const lower = password.toLowerCase();
  const email = ctx.email?.trim().toLowerCase() ?? '';
  const local = email.split('@')[0] ?? '';
  const username = ctx.username?.trim().toLowerCase() ?? '';
  for (const id of [email, local, username]) {
    if (id.length >= 3 && lower.includes(id)) return { rule: 'identity', message: 'The password must not contain your email or username' };
  }
  const core = strip(password);
  if (COMMON.has(lower) || COMMON.has(core) || core.length === 0) return { rule: 'common', message: 'This password is too common: choose another' };
  if (isRun(password) || (core.length >= 3 && isRun(core))) return { rule: 'repetitive', message: 'The password must not be one character repeated or a plain sequence' };
  return null;
}
