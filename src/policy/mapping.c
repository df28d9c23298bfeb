/*
 * Mapping rules and image selectors (whitelisted_images,
 * blacklisted_images): the tag is split as Anchore splits it (registry
 * when the first component has '.' or ':' or is one of the well-known
 * local names, else docker.io; tag defaults to "latest"; no "library/"
 * insertion; "dockerhub/" becomes "docker.io/"), then registry,
 * repository and tag are matched with Anchore's patterns. Digest and id
 * rules compare exactly. The first matching rule wins. Also the built-in
 * default bundle.
 */
#include <string.h>

#include "policy/bundle_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static bool is_registry(const char *s, size_t n)
{
	static const char *const local[] = { "localhost",
					     "localhost.localdomain",
					     "localbuild", "docker.io" };
	size_t i;

	if (memchr(s, '.', n) || memchr(s, ':', n))
		return true;
	for (i = 0; i < 4; i++) {
		if (strlen(local[i]) == n && !memcmp(local[i], s, n))
			return true;
	}
	return false;
}

void tag_release(struct tagparts *t)
{
	customs_free(t->registry);
	customs_free(t->repo);
	customs_free(t->tag);
	customs_free(t->full);
	memset(t, 0, sizeof(*t));
}

/* tag NULL: "*" everywhere, which only wildcard rules match. */
int tag_parse(struct tagparts *t, const char *tag)
{
	const char *slash, *rest, *colon, *at;
	struct cbuf full = CBUF_INIT(8192);
	size_t rlen;

	memset(t, 0, sizeof(*t));
	if (!tag) {
		t->registry = customs_strdup("*");
		t->repo = customs_strdup("*");
		t->tag = customs_strdup("*");
		t->full = customs_strdup("");
		goto done;
	}
	if (!strncmp(tag, "dockerhub/", 10))
		cbuf_printf(&full, "docker.io/%s", tag + 10);
	else
		cbuf_puts(&full, tag);
	slash = strchr(full.ptr, '/');
	if (slash && is_registry(full.ptr, (size_t)(slash - full.ptr))) {
		t->registry =
			customs_strndup(full.ptr, (size_t)(slash - full.ptr));
		rest = slash + 1;
	} else {
		t->registry = customs_strdup("docker.io");
		rest = full.ptr;
	}
	at = strchr(rest, '@');
	rlen = at ? (size_t)(at - rest) : strlen(rest);
	colon = memrchr(rest, ':', rlen);
	if (colon && !memchr(colon, '/', rlen - (size_t)(colon - rest))) {
		t->repo = customs_strndup(rest, (size_t)(colon - rest));
		t->tag = customs_strndup(colon + 1,
					 rlen - (size_t)(colon + 1 - rest));
	} else {
		t->repo = customs_strndup(rest, rlen);
		t->tag = customs_strdup("latest");
	}
	cbuf_reset(&full);
	if (t->registry && t->repo && t->tag)
		cbuf_printf(&full, "%s/%s:%s", t->registry, t->repo, t->tag);
	t->full = cbuf_error(&full) ? NULL : cbuf_detach(&full);
done:
	cbuf_release(&full);
	if (!t->registry || !t->repo || !t->tag || !t->full) {
		tag_release(t);
		return CUSTOMS_ENOMEM;
	}
	return 0;
}

bool rule_matches(const json_t *rule, const struct tagparts *t,
		  const char *image_id, const char *digest)
{
	const char *reg = jstr(rule, "registry"),
		   *repo = jstr(rule, "repository");
	json_t *img = json_object_get(rule, "image");
	const char *type = jstr(img, "type"), *val = jstr(img, "value");

	if (!reg || !repo || !type || !val)
		return false;
	if (!pattern_match(reg, t->registry, NULL) ||
	    !pattern_match(repo, t->repo, NULL))
		return false;
	if (!strcmp(type, "tag"))
		return pattern_match(val, t->tag, NULL) ||
		       (*image_id && !strcmp(val, image_id)) ||
		       (*digest && !strcmp(val, digest));
	if (!strcmp(type, "digest"))
		return *digest && !strcmp(val, digest);
	if (!strcmp(type, "id"))
		return *image_id && !strcmp(val, image_id);
	return false;
}

json_t *first_match(const json_t *rules, const struct tagparts *t,
		    const char *image_id, const char *digest)
{
	json_t *r;
	size_t i;

	json_array_foreach(rules, i, r)
	{
		if (rule_matches(r, t, image_id, digest))
			return r;
	}
	return NULL;
}

static const char default_bundle[] =
	"{\"id\":\"2c53a13c-1765-11e8-82ef-23527761d060\","
	"\"name\":\"Default bundle\",\"comment\":\"Default bundle\","
	"\"version\":\"1_0\",\"whitelisted_images\":[],"
	"\"blacklisted_images\":[],"
	"\"mappings\":[{\"id\":\"c4f9bf74-dc38-4ddf-b5cf-00e9c0074611\","
	"\"name\":\"default\",\"registry\":\"*\",\"repository\":\"*\","
	"\"image\":{\"type\":\"tag\",\"value\":\"*\"},"
	"\"policy_id\":\"48e6f7d6-1765-11e8-b5f9-8b6f228548b6\","
	"\"whitelist_ids\":[\"37fd763e-1765-11e8-add4-3b16c029ac5c\"]}],"
	"\"whitelists\":[{\"id\":\"37fd763e-1765-11e8-add4-3b16c029ac5c\","
	"\"name\":\"Global Whitelist\",\"comment\":\"Default global "
	"whitelist\",\"version\":\"1_0\",\"items\":[]}],"
	"\"policies\":[{\"id\":\"48e6f7d6-1765-11e8-b5f9-8b6f228548b6\","
	"\"name\":\"DefaultPolicy\",\"comment\":\"System default policy\","
	"\"version\":\"1_0\",\"rules\":["
	"{\"id\":\"ce7b8000-829b-4c27-8122-69cd59018400\",\"gate\":"
	"\"dockerfile\","
	"\"trigger\":\"exposed_ports\",\"action\":\"STOP\",\"params\":["
	"{\"name\":\"ports\",\"value\":\"22\"},"
	"{\"name\":\"type\",\"value\":\"blacklist\"}]},"
	"{\"id\":\"312d9e41-1c05-4e2f-ad89-b7d34b0855bb\",\"gate\":"
	"\"dockerfile\","
	"\"trigger\":\"instruction\",\"action\":\"WARN\",\"params\":["
	"{\"name\":\"instruction\",\"value\":\"HEALTHCHECK\"},"
	"{\"name\":\"check\",\"value\":\"not_exists\"}]},"
	"{\"id\":\"6b5c14e7-a6f7-48cc-99d2-959273a2c6fa\",\"gate\":"
	"\"vulnerabilities\","
	"\"trigger\":\"stale_feed_data\",\"action\":\"WARN\",\"params\":["
	"{\"name\":\"max_days_since_sync\",\"value\":\"2\"}]},"
	"{\"id\":\"3e79ea94-18c4-4d26-9e29-3b9172a62c2e\",\"gate\":"
	"\"vulnerabilities\","
	"\"trigger\":\"vulnerability_data_unavailable\",\"action\":\"WARN\","
	"\"params\":[]},"
	"{\"id\":\"6063fdde-b1c5-46af-973a-915739451ac4\",\"gate\":"
	"\"vulnerabilities\","
	"\"trigger\":\"package\",\"action\":\"WARN\",\"params\":["
	"{\"name\":\"package_type\",\"value\":\"all\"},"
	"{\"name\":\"severity_comparison\",\"value\":\"=\"},"
	"{\"name\":\"severity\",\"value\":\"medium\"}]},"
	"{\"id\":\"b30e8abc-444f-45b1-8a37-55be1b8c8bb5\",\"gate\":"
	"\"vulnerabilities\","
	"\"trigger\":\"package\",\"action\":\"STOP\",\"params\":["
	"{\"name\":\"package_type\",\"value\":\"all\"},"
	"{\"name\":\"severity_comparison\",\"value\":\">\"},"
	"{\"name\":\"severity\",\"value\":\"medium\"}]}]}]}";

int customs_policy_bundle_default(struct customs_policy_bundle **out,
				  struct customs_ctx *ctx)
{
	return customs_policy_bundle_parse(out, default_bundle,
					   sizeof(default_bundle) - 1,
					   "default bundle", ctx);
}
