// `docker images --filter` and `docker image prune` choose images as dockerd does.
import {notFound} from '../errors.ts';
import type {Image} from '../images.ts';
import {anyOf, booleanFilter, checkFilters, type Filters, labelsMatch, untilCutoff} from './filters.ts';

/** Go's path.Match for one reference: `*` and `?` stop at "/", `[…]` is a class. */
function globToRegExp(pattern: string): RegExp {
	let source = '';
	for (let index = 0; index < pattern.length; index++) {
		const character = pattern[index]!;
		if (character === '*') source += '[^/]*';
		else if (character === '?') source += '[^/]';
		else if (character === '[') {
			const end = pattern.indexOf(']', index + 1);
			if (end === -1) source += '\\[';
			else {
				source += `[${pattern.slice(index + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
				index = end;
			}
		} else source += character.replace(/[.+^${}()|\\]/g, '\\$&');
	}

	return new RegExp(`^${source}$`);
}

/** reference=…: the pattern against "name:tag", or against the name alone when it has no tag. */
function matchesReference(pattern: string, image: Image): boolean {
	const expression = globToRegExp(pattern);
	return image.RepoTags.some(tag => {
		const name = tag.slice(0, tag.lastIndexOf(':'));
		return expression.test(tag) || expression.test(name);
	});
}

const created = (image: Image) => Date.parse(image.Created) / 1000;

/** The images `GET /images/json` lists: dangling, label, reference, before and since. */
export function filterImageList(images: Image[], filters: Filters, resolve: (name: string) => Image | undefined): Image[] {
	checkFilters(filters, ['dangling', 'label', 'reference', 'before', 'since']);
	const dangling = booleanFilter(filters, 'dangling');
	const bound = (key: 'before' | 'since') => {
		const name = filters[key]?.[0];
		if (name === undefined) return undefined;
		const image = resolve(name);
		if (!image) throw notFound(`No such image: ${name}`);
		return created(image);
	};

	const before = bound('before');
	const since = bound('since');
	return images.filter(
		image =>
			(dangling === undefined || dangling === (image.RepoTags.length === 0)) &&
			labelsMatch(filters, image.Config.Labels) &&
			anyOf(filters, 'reference', pattern => matchesReference(pattern, image)) &&
			(before === undefined || created(image) < before) &&
			(since === undefined || created(image) > since),
	);
}

/** The images `docker image prune` removes: dangling ones (or with dangling=false every unused one), older than until, by label. */
export function imagesToPrune(images: Image[], filters: Filters, inUse: (image: Image) => boolean): Image[] {
	checkFilters(filters, ['dangling', 'until', 'label', 'label!']);
	const onlyDangling = booleanFilter(filters, 'dangling') ?? true;
	const until = untilCutoff(filters);
	return images.filter(
		image => (!onlyDangling || image.RepoTags.length === 0) && !inUse(image) && (until === undefined || created(image) < until) && labelsMatch(filters, image.Config.Labels),
	);
}
