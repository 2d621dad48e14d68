// One rule for parts a test needs (a daemon, sshd, a registry, a tool): under CI=true a missing
// part fails the test; elsewhere the test is skipped and says why.
import type {TestContext} from 'node:test';

export const inCi = process.env.CI === 'true' || process.env.CI === '1';

/** Fails (CI) or skips (elsewhere) when `missing` names what is missing; true when the test may go on. */
export function requirePart(t: TestContext, missing: string | undefined): boolean {
	if (!missing) return true;
	if (inCi) throw new Error(`${missing} (CI=true: this test must not be skipped)`);
	t.skip(`skipped: ${missing}`);
	return false;
}

/** For a whole suite: throws under CI, else returns false so that its tests skip themselves. */
export function suiteHasPart(missing: string | undefined): boolean {
	if (!missing) return true;
	if (inCi) throw new Error(`${missing} (CI=true: tests that need it must not be skipped)`);
	return false;
}
