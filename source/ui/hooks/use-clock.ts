import {useEffect, useState} from 'react';

/** The time, advanced every `intervalMs`: enough for "Up 3 minutes" to stay true. */
export function useClock(intervalMs: number): number {
	const [now, setNow] = useState(Date.now);
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs]);
	return now;
}
