// A container's health check over its image's (docker run --health-* over HEALTHCHECK).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {hasHealthcheck, mergeHealthcheck} from '../../source/engine/containers.ts';

test('a container\'s health check over its image\'s, field by field; NONE turns it off', () => {
	const image = {Test: ['CMD', 'probe'], Interval: 5e9, Retries: 4};
	assert.deepEqual(mergeHealthcheck(image, {Interval: 1e9}), {Test: ['CMD', 'probe'], Interval: 1e9, Retries: 4});
	assert.deepEqual(mergeHealthcheck(image, {Test: ['CMD-SHELL', 'other']}), {Test: ['CMD-SHELL', 'other'], Interval: 5e9, Retries: 4});
	assert.equal(mergeHealthcheck(undefined, undefined), undefined);
	assert.equal(hasHealthcheck(mergeHealthcheck(image, {Test: ['NONE']})), false);
	assert.equal(hasHealthcheck(mergeHealthcheck(image, undefined)), true);
});
