// A pull's progress, from the engine's JSON stream: one line per layer with its status and how
// far it has come, the way `docker pull` draws it, and the messages about the image as a whole.
// Pure: message in, progress out.

export type PullMessage = {
	status?: string;
	id?: string;
	progress?: string;
	progressDetail?: {current?: number; total?: number};
	error?: string;
	errorDetail?: {message?: string};
};

export type LayerProgress = {id: string; status: string; current?: number; total?: number};

export type PullProgress = {
	reference: string;
	layers: LayerProgress[];
	/** Messages not about one layer ("Digest: …", "Status: Downloaded newer image for …"). */
	notes: string[];
	done: boolean;
	error?: string;
};

export function startPull(reference: string): PullProgress {
	return {reference, layers: [], notes: [], done: false};
}

/** A message that names a layer updates that layer's line; the rest are notes about the image. */
export function applyPullMessage(progress: PullProgress, message: PullMessage): PullProgress {
	const error = message.errorDetail?.message ?? message.error;
	if (error) return {...progress, error, done: true};
	const status = message.status ?? '';
	// "Pulling from library/alpine" carries the tag as its id; it is a note, not a layer.
	const isLayer = message.id !== undefined && /^[0-9a-f]{12}$/.test(message.id);
	if (!isLayer) return {...progress, notes: [...progress.notes, message.id ? `${message.id}: ${status}` : status].slice(-6)};
	const layers = [...progress.layers];
	const index = layers.findIndex(layer => layer.id === message.id);
	const detail = message.progressDetail ?? {};
	const layer: LayerProgress = {id: message.id!, status, ...(detail.total ? {current: detail.current ?? 0, total: detail.total} : {})};
	if (index === -1) layers.push(layer);
	else layers[index] = layer;
	return {...progress, layers};
}

export function finishPull(progress: PullProgress, error?: string): PullProgress {
	return {...progress, done: true, ...(error ? {error} : {})};
}

const bar = (current: number, total: number, width: number) => {
	const filled = Math.max(0, Math.min(width, Math.round((current / total) * width)));
	return `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}]`;
};

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)}MB`;

/** The progress as lines of text for a pane `width` wide. */
export function pullLines(progress: PullProgress, width: number): string[] {
	const lines = [`Pulling ${progress.reference}${progress.done ? (progress.error ? ' — failed' : ' — done') : '…'}`, ''];
	const barWidth = Math.max(10, Math.min(40, width - 50));
	for (const layer of progress.layers) {
		const figures = layer.total ? ` ${bar(layer.current ?? 0, layer.total, barWidth)} ${megabytes(layer.current ?? 0)}/${megabytes(layer.total)}` : '';
		lines.push(`${layer.id}: ${layer.status}${figures}`);
	}

	if (progress.notes.length > 0) lines.push('', ...progress.notes);
	if (progress.error) lines.push('', `error: ${progress.error}`);
	return lines;
}
