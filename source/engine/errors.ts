// Errors the way dockerd reports them: an HTTP status and a JSON {"message": ...}.
export class EngineError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

export const badRequest = (message: string) => new EngineError(400, message);
export const notFound = (message: string) => new EngineError(404, message);
export const conflict = (message: string) => new EngineError(409, message);
export const notModified = () => new EngineError(304, '');
