/*
 * customs vulndb: the vulnerability database.
 *
 * One SQLite file holds every feed, indexed by (namespace, normalised
 * package name), so matching a package is one indexed lookup. Feeds are
 * parsed by importers into the feed-neutral records below and written
 * through a writer that builds the new database aside and renames it over
 * the old one on commit: a reader never sees a half-written database.
 *
 * Namespaces (docs/internals/vulndb.md has the full table):
 *   - distributions: "<id>:<version>" in lower case, as the matcher derives
 *     them from os-release: "debian:12", "debian:unstable", "ubuntu:22.04",
 *     "alpine:3.18", "alpine:edge", "almalinux:9", "rhel:8", "rocky:9",
 *     "wolfi:rolling", "chainguard:rolling";
 *   - language ecosystems: the OSV ecosystem name in lower case: "npm",
 *     "pypi", "go", "maven", "crates.io", "rubygems", "nuget",
 *     "packagist", "hex", "pub", "bitnami", ...
 * Package names are normalised by customs_vulndb_normalize_name() both
 * when written and when looked up.
 */
#ifndef CUSTOMS_VULNDB_H
#define CUSTOMS_VULNDB_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "customs/common.h"
#include "customs/version.h"

/** Fix state of a package for one vulnerability (Grype's names). */
enum customs_fix_state {
	CUSTOMS_FIX_UNKNOWN, /**< "unknown": no state (NVD, CPE matches) */
	CUSTOMS_FIX_FIXED, /**< "fixed": a fixed version exists */
	CUSTOMS_FIX_NOT_FIXED, /**< "not-fixed": affected, no fix yet */
	CUSTOMS_FIX_WONT_FIX, /**< "wont-fix": vendor will not fix */
	CUSTOMS_FIX_NOT_AFFECTED, /**< "not-affected": only suppresses */
};

/** "fixed", "not-fixed", "wont-fix", "unknown", "not-affected". */
const char *customs_fix_state_name(enum customs_fix_state state);

/** Parse a name of customs_fix_state_name(). 0 or CUSTOMS_ENOTFOUND. */
int customs_fix_state_parse(enum customs_fix_state *out, const char *name);

/** Severity, ordered: a higher value is more severe. */
enum customs_severity {
	CUSTOMS_SEVERITY_UNKNOWN,
	CUSTOMS_SEVERITY_NEGLIGIBLE,
	CUSTOMS_SEVERITY_LOW,
	CUSTOMS_SEVERITY_MEDIUM,
	CUSTOMS_SEVERITY_HIGH,
	CUSTOMS_SEVERITY_CRITICAL,
};

/** "Unknown", "Negligible", "Low", "Medium", "High", "Critical". */
const char *customs_severity_name(enum customs_severity sev);

/**
 * Parse a severity word, case-insensitively, as feeds write them:
 * the names above, "moderate" (GHSA) = Medium, "important" = High,
 * "unimportant" (Debian) = Negligible, "none" = Negligible. A Debian
 * urgency with the "**" suffix is accepted. 0 or CUSTOMS_ENOTFOUND.
 */
int customs_severity_parse(enum customs_severity *out, const char *word);

/** Severity band of a CVSS base score (v3/v4 bands; v2 uses v3's). */
enum customs_severity customs_severity_from_score(double score);

/** One CVSS rating. Scores are negative when the feed has none. */
struct customs_cvss {
	const char *version; /**< "2.0", "3.0", "3.1", "4.0" */
	const char *vector; /**< "CVSS:3.1/AV:N/..." or NULL */
	double base_score;
	double exploitability_score;
	double impact_score;
	const char *source; /**< "nvd@nist.gov", a CNA, "ghsa", ... */
	bool primary; /**< NVD "Primary" (else "Secondary"/vendor) */
};

/**
 * One affected package of an advisory. A row says which versions of
 * (namespace, name) are affected: those in ranges or listed in versions.
 * ranges uses the comparator-list syntax of
 * customs_version_range_parse_list() (">= 1.0, < 1.2.5 || >= 2.0, <= 2.1")
 * in scheme; "*" means every version; NULL or "" means no range (only
 * versions count). A row with neither is not stored.
 */
struct customs_vuln_affected {
	const char *namespace;
	const char *name; /**< as the feed writes it */
	enum customs_version_scheme scheme;
	const char *ranges;
	const char *const *versions; /**< enumerated affected versions */
	size_t n_versions;
	const char *const *fixed; /**< fixed versions, for reports */
	size_t n_fixed;
	enum customs_fix_state fix_state;
	enum customs_severity severity; /**< package-specific rating */
	const char *fix_date; /**< "YYYY-MM-DD" when the fix was published */
	const char *qualifier; /**< rpm modularity "nodejs:18", or NULL */
};

/** One NVD CPE match criterion (cpeMatch) with its version bounds. */
struct customs_vuln_cpe {
	const char *criteria; /**< "cpe:2.3:a:vendor:product:*:..." */
	const char *start_including, *start_excluding;
	const char *end_including, *end_excluding;
	bool vulnerable; /**< false: a platform ("running on") */
	int config; /**< index of its configuration, for AND nodes */
};

/**
 * One advisory as an importer produces it. Strings and arrays are owned by
 * the importer and valid only during the callback that receives it.
 */
struct customs_vuln_record {
	const char *id; /**< "CVE-2024-3094", "GHSA-...", "PYSEC-..." */
	const char *summary;
	const char *description;
	const char *link; /**< the advisory's primary URL, or NULL */
	enum customs_severity severity; /**< the advisory's own rating */
	const char *published; /**< RFC 3339 or NULL */
	const char *modified; /**< RFC 3339 or NULL; drives re-import */
	bool withdrawn; /**< OSV withdrawn: stored, never matched */
	const char *const *aliases; /**< CVE/GHSA ids of the same issue */
	size_t n_aliases;
	const struct customs_cvss *cvss;
	size_t n_cvss;
	const struct customs_vuln_affected *affected;
	size_t n_affected;
	const struct customs_vuln_cpe *cpes; /**< NVD configurations */
	size_t n_cpes;
	const char *const *cwes;
	size_t n_cwes;
};

/** One CISA KEV catalogue entry. */
struct customs_vuln_kev {
	const char *cve;
	const char *vendor, *product, *name;
	const char *date_added, *due_date; /**< "YYYY-MM-DD" */
	const char *required_action;
	bool ransomware; /**< knownRansomwareCampaignUse == "Known" */
};

/** One FIRST EPSS score. */
struct customs_vuln_epss {
	const char *cve;
	double score, percentile;
};

/**
 * Receives what an importer parses. Any non-zero return stops it.
 *
 * A parser calls begin() once, before anything else, naming the source its
 * document belongs to (NULL: the caller's source) and whether the document
 * is a snapshot. A snapshot (Debian tracker JSON, one Alpine secdb branch
 * file "alpine:3.18/main", KEV, EPSS) replaces everything its source held
 * before; otherwise (OSV, NVD pages) each record replaces only the
 * earlier version of the same (source, id), and is skipped when its
 * modified time is unchanged.
 */
struct customs_vuln_sink {
	int (*begin)(void *arg, const char *source, bool snapshot);
	int (*record)(void *arg, const struct customs_vuln_record *rec);
	int (*kev)(void *arg, const struct customs_vuln_kev *kev);
	/** EPSS scores; model_version/score_date from the CSV comment. */
	int (*epss)(void *arg, const struct customs_vuln_epss *epss);
	int (*epss_meta)(void *arg, const char *model_version,
			 const char *score_date);
	void *arg;
};

/** Feed formats an importer understands. */
enum customs_feed_format {
	CUSTOMS_FEED_AUTO, /**< detect from the content */
	CUSTOMS_FEED_OSV, /**< OSV JSON: object, array or JSON lines */
	CUSTOMS_FEED_DEBIAN, /**< Debian security tracker JSON */
	CUSTOMS_FEED_ALPINE, /**< Alpine/Wolfi secdb, JSON or YAML */
	CUSTOMS_FEED_NVD, /**< NVD CVE API 2.0 JSON */
	CUSTOMS_FEED_KEV, /**< CISA KEV JSON */
	CUSTOMS_FEED_EPSS, /**< FIRST EPSS CSV */
};

/** "osv", "debian", "alpine", "nvd", "kev", "epss" ("auto"). */
const char *customs_feed_format_name(enum customs_feed_format fmt);

/** Parse a format name. 0 or CUSTOMS_ENOTFOUND. */
int customs_feed_format_parse(enum customs_feed_format *out, const char *name);

/**
 * Parse one feed document of len bytes (already decompressed) and hand
 * every record to sink. name names the input in errors and warnings
 * ("debian.json", "osv.zip:PYSEC-2021-1.json"). Bad records are skipped
 * with a warning through warn (may be NULL) naming name and where (line,
 * record id, field); a document that is not the format at all is
 * CUSTOMS_EFORMAT. Returns 0, CUSTOMS_EFORMAT, CUSTOMS_ELIMIT,
 * CUSTOMS_ENOMEM, or the sink's non-zero return.
 */
int customs_feed_parse(enum customs_feed_format fmt, const char *data,
		       size_t len, const char *name,
		       const struct customs_vuln_sink *sink,
		       void (*warn)(void *arg, const char *msg), void *warn_arg,
		       struct customs_ctx *ctx);

/**
 * Normalise a package name for namespace into out (caller frees): lower
 * case; for "pypi" also PEP 503 (runs of "-_." become "-"). Returns 0 or
 * CUSTOMS_ENOMEM.
 */
int customs_vulndb_normalize_name(char **out, const char *namespace,
				  const char *name);

/**
 * The default database path: $CUSTOMS_DB, else vuln.db in the cache
 * directory ($CUSTOMS_CACHE_DIR, else $XDG_CACHE_HOME/customs, else
 * ~/.cache/customs). Caller frees. 0, CUSTOMS_ENOMEM or
 * CUSTOMS_ENOTFOUND (no HOME).
 */
int customs_vulndb_default_path(char **out);

/* ---- writing ---------------------------------------------------------- */

/** A feed source being written: one row of `customs db status`. */
struct customs_vulndb_source {
	int version;
	const char *name; /**< "osv", ...; used when the parser names none */
	const char *origin; /**< URL or file it came from */
	const char *feed_date; /**< the feed's own date, or NULL */
};
#define CUSTOMS_VULNDB_SOURCE_INIT \
	{                          \
		.version = 1       \
	}

struct customs_vulndb_writer;

/**
 * Start writing the database at path: a copy of the current file (or an
 * empty database when there is none, or when fresh) is built aside in the
 * same directory; nothing is visible at path until
 * customs_vulndb_writer_commit(). Returns 0, CUSTOMS_EIO, CUSTOMS_EFORMAT
 * (path is not a customs database), CUSTOMS_ENOMEM.
 */
int customs_vulndb_writer_new(struct customs_vulndb_writer **out,
			      const char *path, bool fresh,
			      struct customs_ctx *ctx);

/**
 * Import everything under path: a feed file (plain, .gz, .zip of OSV
 * files), a directory (recursively, every file), with fmt (or detection
 * per file). Records are written under source (which is created or its
 * metadata updated). An advisory already present from the same source
 * with the same modified time is skipped; a changed one replaces the old
 * rows. warn receives per-record problems. Statistics are added to
 * *n_records (may be NULL).
 */
int customs_vulndb_import_path(struct customs_vulndb_writer *w,
			       const struct customs_vulndb_source *source,
			       const char *path, enum customs_feed_format fmt,
			       void (*warn)(void *arg, const char *msg),
			       void *warn_arg, uint64_t *n_records,
			       struct customs_ctx *ctx);

/**
 * Import one in-memory document, as customs_vulndb_import_path() does for
 * a file (the updater uses it for downloads). name names it in errors.
 */
int customs_vulndb_import_buffer(struct customs_vulndb_writer *w,
				 const struct customs_vulndb_source *source,
				 const char *data, size_t len, const char *name,
				 enum customs_feed_format fmt,
				 void (*warn)(void *arg, const char *msg),
				 void *warn_arg, uint64_t *n_records,
				 struct customs_ctx *ctx);

/**
 * The HTTP validators stored for the download url (for conditional GET),
 * copied into *etag and *last_modified (caller frees; NULL when none). 0,
 * CUSTOMS_ENOTFOUND (never downloaded), CUSTOMS_EIO, CUSTOMS_ENOMEM.
 */
int customs_vulndb_writer_validators(struct customs_vulndb_writer *w,
				     const char *url, char **etag,
				     char **last_modified,
				     struct customs_ctx *ctx);

/**
 * Remember the validators of a completed download of url (etag and
 * last_modified may be NULL). 0, CUSTOMS_EIO, CUSTOMS_ENOMEM.
 */
int customs_vulndb_writer_set_validators(struct customs_vulndb_writer *w,
					 const char *url, const char *etag,
					 const char *last_modified,
					 struct customs_ctx *ctx);

/**
 * Make the written database the one at path (atomic rename after the data
 * is on disk) and free w. On failure the old database is untouched and w
 * is freed. 0 or CUSTOMS_EIO.
 */
int customs_vulndb_writer_commit(struct customs_vulndb_writer *w,
				 struct customs_ctx *ctx);

/** Abandon and free a writer (removes the file built aside); NULL ok. */
void customs_vulndb_writer_free(struct customs_vulndb_writer *w);

/* ---- reading ---------------------------------------------------------- */

struct customs_vulndb;

/**
 * Open the database at path read-only. Returns 0, CUSTOMS_ENOTFOUND (no
 * database: run `customs db update` or `customs db import`),
 * CUSTOMS_EFORMAT (not a customs database or an unknown schema version),
 * CUSTOMS_EIO, CUSTOMS_ENOMEM. Not thread-safe: one handle per thread.
 */
int customs_vulndb_open(struct customs_vulndb **out, const char *path,
			struct customs_ctx *ctx);

/** Close; accepts NULL. */
void customs_vulndb_free(struct customs_vulndb *db);

/** One affected row found by a lookup. Borrowed for the callback only. */
struct customs_vulndb_hit {
	const char *vuln_id;
	const char *source; /**< the source that wrote the row */
	const char *namespace;
	const char *name; /**< as the feed wrote it */
	enum customs_version_scheme scheme;
	const char *ranges; /**< as in struct customs_vuln_affected */
	const char *versions; /**< enumerated versions, '\n'-separated, or "" */
	const char *fixed; /**< fixed versions joined by ", ", or "" */
	enum customs_fix_state fix_state;
	enum customs_severity severity; /**< package-specific, or UNKNOWN */
	const char *fix_date; /**< or NULL */
	const char *qualifier; /**< or NULL */
	bool withdrawn;
};

/** Receives hits. A non-zero return stops the lookup and is returned. */
typedef int (*customs_vulndb_hit_cb)(void *arg,
				     const struct customs_vulndb_hit *hit);

/**
 * Every affected row of (namespace, name), name normalised as at import.
 * Returns 0 (also when nothing matched), CUSTOMS_EIO, or cb's return.
 */
int customs_vulndb_lookup(struct customs_vulndb *db, const char *namespace,
			  const char *name, customs_vulndb_hit_cb cb, void *arg,
			  struct customs_ctx *ctx);

/** Whether any row exists in namespace, into *out. 0 or CUSTOMS_EIO. */
int customs_vulndb_has_namespace(struct customs_vulndb *db,
				 const char *namespace, bool *out,
				 struct customs_ctx *ctx);

/** NVD CPE criteria for (vendor, product), lower case. As lookup. */
typedef int (*customs_vulndb_cpe_cb)(void *arg, const char *vuln_id,
				     const struct customs_vuln_cpe *cpe);
int customs_vulndb_lookup_cpe(struct customs_vulndb *db, const char *vendor,
			      const char *product, customs_vulndb_cpe_cb cb,
			      void *arg, struct customs_ctx *ctx);

/** Everything known about one vulnerability id (any source, merged). */
struct customs_vuln_info {
	char *id;
	char *summary;
	char *description;
	char *link;
	enum customs_severity severity; /**< advisory's own, else UNKNOWN */
	char *published, *modified;
	bool withdrawn;
	struct customs_strlist aliases;
	struct customs_cvss *cvss; /**< owned strings */
	size_t n_cvss;
	struct customs_strlist cwes;
	bool in_kev;
	char *kev_date_added, *kev_due_date;
	bool kev_ransomware;
	bool has_epss;
	double epss_score, epss_percentile;
};

/**
 * Look up id (and, for KEV/EPSS/NVD CVSS, the CVE aliases of id) into a
 * new *out (free with customs_vuln_info_free()). 0, CUSTOMS_ENOTFOUND,
 * CUSTOMS_EIO, CUSTOMS_ENOMEM.
 */
int customs_vulndb_vuln(struct customs_vulndb *db, const char *id,
			struct customs_vuln_info **out,
			struct customs_ctx *ctx);

/** Free; accepts NULL. */
void customs_vuln_info_free(struct customs_vuln_info *info);

/** One source row of the status. */
struct customs_vulndb_source_status {
	char *name, *origin, *etag, *last_modified, *feed_date;
	char *imported_at; /**< RFC 3339 UTC */
	uint64_t records; /**< advisories (or KEV/EPSS rows) from it */
};

/** What `customs db status` prints. */
struct customs_vulndb_status {
	int schema_version;
	char *built; /**< RFC 3339 UTC of the last commit */
	struct customs_vulndb_source_status *sources;
	size_t n_sources;
	uint64_t vulns, affected_rows, kev, epss;
	struct customs_strlist namespaces; /**< sorted */
};

/** Fill a new *out. 0, CUSTOMS_EIO, CUSTOMS_ENOMEM. */
int customs_vulndb_status(struct customs_vulndb *db,
			  struct customs_vulndb_status **out,
			  struct customs_ctx *ctx);

/** Free; accepts NULL. */
void customs_vulndb_status_free(struct customs_vulndb_status *st);

/** One source of the summary. */
struct customs_vulndb_source_summary {
	char *name; /**< "debian", "osv-npm", "kev", ... */
	char *feed_date; /**< the snapshot date the feed declares, or NULL */
	char *imported_at; /**< RFC 3339 UTC of its last import */
};

/**
 * What a scan records about the database it used: a subset of
 * customs_vulndb_status() without the counts, read from the meta and
 * sources tables and one index probe per namespace, so its cost does not
 * grow with the number of advisories (`scan` and `check` call it on every
 * run; `customs db status` uses the full call).
 */
struct customs_vulndb_summary {
	int schema_version;
	char *built; /**< RFC 3339 UTC of the last commit, or NULL */
	struct customs_vulndb_source_summary *sources; /**< sorted by name */
	size_t n_sources;
	struct customs_strlist namespaces; /**< sorted, as in the status */
};

/** Fill a new *out (free with customs_vulndb_summary_free()).
 * 0, CUSTOMS_EIO, CUSTOMS_ENOMEM. */
int customs_vulndb_summary(struct customs_vulndb *db,
			   struct customs_vulndb_summary **out,
			   struct customs_ctx *ctx);

/** Free; accepts NULL. */
void customs_vulndb_summary_free(struct customs_vulndb_summary *s);

/* ---- updating from the network (`customs db update`) ------------------ */

/**
 * One feed `customs db update` can download. Feeds are grouped by the
 * site they come from (group); every group has one base URL that a mirror
 * or the configuration can replace, and the feed's files lie at path
 * under it.
 */
struct customs_vulndb_feed {
	const char *name; /**< "osv-npm", "debian", "alpine", "kev", ... */
	const char *group; /**< "osv", "debian", "alpine", "wolfi", ... */
	const char *path; /**< under the group's base URL ("npm/all.zip") */
	enum customs_feed_format format;
	bool by_default; /**< part of the default selection */
	const char *what; /**< one line for --help and the docs */
};

/** The feed table, in update order (static); *n gets its length. */
const struct customs_vulndb_feed *customs_vulndb_feeds(size_t *n);

/** The built-in base URL of a feed group, or NULL for an unknown group. */
const char *customs_vulndb_feed_base(const char *group);

/** What a progress report is about. */
enum customs_update_event {
	CUSTOMS_UPDATE_FEED_START, /**< a feed begins */
	CUSTOMS_UPDATE_BYTES, /**< bytes of the current download arrived */
	CUSTOMS_UPDATE_RETRY, /**< a download failed and will be retried */
	CUSTOMS_UPDATE_FEED_DONE, /**< a feed ended (see result) */
};

/** How a feed ended. */
enum customs_update_result {
	CUSTOMS_UPDATE_IMPORTED, /**< downloaded and imported */
	CUSTOMS_UPDATE_UNCHANGED, /**< every file answered 304 Not Modified */
	CUSTOMS_UPDATE_FAILED, /**< see message */
};

/** One progress report; borrowed for the callback only. */
struct customs_vulndb_progress {
	enum customs_update_event event;
	const char *feed; /**< feed name */
	const char *url; /**< the current download, or NULL */
	uint64_t bytes; /**< received of the current download (or, at
			   FEED_DONE, of the whole feed) */
	uint64_t total; /**< expected size, 0 when unknown */
	enum customs_update_result result; /**< at FEED_DONE */
	uint64_t records; /**< at FEED_DONE: records imported */
	const char *message; /**< RETRY and FAILED: why; else NULL */
};

/**
 * Options of customs_vulndb_update(). Zero fields take their defaults.
 * URL precedence for a group: mirror (BASE/<group>), the environment
 * CUSTOMS_FEED_<GROUP>_URL (group upper-cased, "-" and "." as "_"), the
 * config file's urls.<group>, the config file's mirror, built-in.
 */
struct customs_vulndb_update_opts {
	int version;
	const char *db_path; /**< NULL: customs_vulndb_default_path() */
	const char *feeds; /**< "a,b": feed names, group names, "default",
			      "all"; NULL: the config's feeds, else default */
	const char *mirror; /**< base URL holding BASE/<group>/<path> */
	const char *config_path; /**< YAML file, or NULL */
	bool strict; /**< any failed feed: commit nothing */
	unsigned attempts; /**< tries per download (default 5) */
	unsigned retry_delay_ms; /**< first backoff (default 1000) */
	unsigned connect_timeout_s; /**< default 30 */
	unsigned stall_timeout_s; /**< abort below 1 byte/s for this long
				     (default 60) */
	uint64_t max_download; /**< bytes per file (default 2 GiB) */
	uint64_t max_document; /**< decompressed bytes per document
				  (default 2 GiB) */
	void (*progress)(void *arg, const struct customs_vulndb_progress *p);
	void (*warn)(void *arg, const char *msg); /**< skipped records */
	void *arg; /**< for progress and warn */
	/** When *cancel becomes non-zero (a signal handler sets it), the
	 * update stops at the next chance, commits nothing and returns
	 * CUSTOMS_EIO ("interrupted"). NULL: never. */
	const volatile sig_atomic_t *cancel;
};
#define CUSTOMS_VULNDB_UPDATE_OPTS_INIT \
	{                               \
		.version = 1            \
	}

/** What an update did; release with customs_vulndb_update_report_release. */
struct customs_vulndb_update_report {
	struct customs_strlist updated; /**< feeds imported */
	struct customs_strlist unchanged; /**< feeds answered 304 */
	struct customs_kvlist failed; /**< feed name -> why */
	bool committed; /**< the database at db_path was replaced */
};

/** Free the lists of a report (the struct itself is the caller's). */
void customs_vulndb_update_report_release(
	struct customs_vulndb_update_report *r);

/**
 * Download the selected feeds (conditional GET with the validators stored
 * in the database, retries with exponential backoff on network errors,
 * 5xx and 429, proxies from the environment, TLS verified) and import them
 * through one writer that is committed once at the end. A feed that fails
 * to download is left as it was. Returns 0 when the database was
 * committed, even if some feeds failed (then report->failed names them and
 * ctx holds a message naming the first); with strict, any failure commits
 * nothing and returns its code. Otherwise CUSTOMS_EINVAL (bad options or
 * config, message on ctx), CUSTOMS_EIO, CUSTOMS_EFORMAT, CUSTOMS_ELIMIT,
 * CUSTOMS_ENOMEM; the old database is then untouched. report (caller's,
 * zeroed) is filled in every case.
 */
int customs_vulndb_update(const struct customs_vulndb_update_opts *opts,
			  struct customs_vulndb_update_report *report,
			  struct customs_ctx *ctx);

#endif
