// argon2id with OWASP-recommended parameters; verification is constant-time inside argon2.
import argon2 from "argon2";

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** True when the password matches the stored argon2 hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Problems with a new password, empty when it is acceptable. */
export function passwordProblems(password: string, context: string[] = []): string[] {
  const problems: string[] = [];
  if (password.length < 10) problems.push("must be at least 10 characters");
  if (password.length > 256) problems.push("must be at most 256 characters");
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length < 16 && classes < 3) {
    problems.push(
      "must mix at least three of lower case, upper case, digits and symbols (or be 16+ characters)",
    );
  }
  const lower = password.toLowerCase();
  if (context.some((c) => c.length >= 3 && lower.includes(c.toLowerCase()))) {
    problems.push("must not contain your username or e-mail");
  }
  return problems;
}
