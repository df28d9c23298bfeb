/*
 * The built-in distro analyzer: collects the release files it wants from
 * every layer and, once the final filesystem is known, resolves the
 * canonical paths through it (etc/os-release is usually a symlink to
 * ../usr/lib/os-release) before calling customs_distro_detect().
 */
#ifndef CUSTOMS_ANALYZE_DISTRO_AN_H
#define CUSTOMS_ANALYZE_DISTRO_AN_H

#include "customs/analyze.h"
#include "util/strmap.h"

struct distro_state {
	struct strmap files; /* real path -> struct distro_blob */
};

void distro_analyzer_init(struct customs_analyzer *an, struct distro_state *st);
int distro_finish(struct distro_state *st, const struct customs_fsindex *idx,
		  struct customs_distro **out);
void distro_analyzer_release(struct distro_state *st);

#endif
