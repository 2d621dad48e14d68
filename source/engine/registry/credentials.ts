// Credentials as clients send them: the X-Registry-Auth header (base64url JSON; the docker CLI
// sends one even when it has no credentials, with only the server address) or a login body.
import type {Credentials} from './session.ts';

type AuthConfig = {username?: unknown; password?: unknown; auth?: unknown; registrytoken?: unknown; identitytoken?: unknown};

export function credentialsFrom(config: AuthConfig | undefined): Credentials {
	if (!config || typeof config !== 'object') return {};
	let username = typeof config.username === 'string' ? config.username : undefined;
	let password = typeof config.password === 'string' ? config.password : undefined;
	// "auth" is base64 "user:password", as docker's config.json keeps it.
	if (!username && typeof config.auth === 'string' && config.auth) {
		const decoded = Buffer.from(config.auth, 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon > 0) {
			username = decoded.slice(0, colon);
			password = decoded.slice(colon + 1);
		}
	}

	const registryToken = typeof config.registrytoken === 'string' && config.registrytoken ? config.registrytoken : undefined;
	return {username: username || undefined, password: username ? password : undefined, registryToken};
}

export function credentialsFromHeader(header: string | string[] | undefined): Credentials {
	const value = Array.isArray(header) ? header[0] : header;
	if (!value) return {};
	try {
		return credentialsFrom(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as AuthConfig);
	} catch {
		// An unreadable header is as none: the registry then says what it needs.
		return {};
	}
}
