/*
 * Version evidence in binary content, for the binary classifiers
 * (binclass.c). Syft writes each classifier as a regex over the file; the
 * ones used here have a literal anchor, so each is a memmem() for the
 * anchor plus a small hand-written grammar for what follows (or
 * precedes) it. Nothing allocates; every scan is linear in the content
 * (grammars look a bounded distance from the anchor).
 */
#ifndef CUSTOMS_CATALOG_BINMATCH_H
#define CUSTOMS_CATALOG_BINMATCH_H

#include <stdbool.h>
#include <stddef.h>

/* The file offered to a classifier. */
struct binfile {
	const char *base; /* basename of the path */
	const unsigned char *p;
	size_t n;
};

/* The version found, NUL-terminated, at most BINVER_MAX - 1 bytes. */
#define BINVER_MAX 64

/*
 * Each matcher returns true and fills ver (BINVER_MAX bytes) when its
 * evidence is in f, using the first match in the file as Syft does.
 */
bool bm_python(const struct binfile *f, char *ver);
bool bm_libpython(const struct binfile *f, char *ver);
bool bm_node(const struct binfile *f, char *ver);
bool bm_openssl(const struct binfile *f, char *ver);
bool bm_busybox(const struct binfile *f, char *ver);
bool bm_bash(const struct binfile *f, char *ver);
bool bm_curl(const struct binfile *f, char *ver);
bool bm_nginx(const struct binfile *f, char *ver);
bool bm_redis(const struct binfile *f, char *ver);
bool bm_postgres(const struct binfile *f, char *ver);
bool bm_java(const struct binfile *f, char *ver);
bool bm_libjvm(const struct binfile *f, char *ver);

#endif
