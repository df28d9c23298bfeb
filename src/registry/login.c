/*
 * `customs login` and `customs logout`: check credentials against the
 * registry (GET /v2/ answered 200 after the challenge was met), then
 * update the "auths" entry of config.json, keeping everything else in
 * the file. The file is written aside with mode 0600 and renamed over
 * the old one, so a crash leaves the old file or the new one, and the
 * secret is never readable by others, not even briefly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "registry/client_priv.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

#define CONFIG_MAX (4u << 20)

static int load_config(json_t **root, const char *path, struct customs_ctx *ctx)
{
	json_error_t err;

	customs_json_alloc_init();
	if (access(path, F_OK) && errno == ENOENT) {
		*root = json_object();
		return *root ? 0
			     : customs_error(ctx, CUSTOMS_ENOMEM,
					     "out of memory");
	}
	*root = json_load_file(path, 0, &err);
	if (json_is_object(*root))
		return 0;
	json_decref(*root);
	*root = NULL;
	return customs_error(ctx, CUSTOMS_EFORMAT,
			     "'%s': not a JSON object (line %d: %s)", path,
			     err.line, err.text);
}

static int make_parent(const char *path)
{
	char *dir = customs_strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	int rc = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			rc = -1;
	}
	customs_free(dir);
	return rc;
}

static int save_config(json_t *root, const char *path, struct customs_ctx *ctx)
{
	struct cbuf tmp = CBUF_INIT(8192);
	char *text = json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS);
	ssize_t n = -1;
	int fd = -1, rc = 0;

	cbuf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	if (!text || cbuf_error(&tmp)) {
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
		goto out;
	}
	make_parent(path);
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0)
		n = write(fd, text, strlen(text));
	if (fd < 0 || n != (ssize_t)strlen(text) || write(fd, "\n", 1) != 1 ||
	    fsync(fd) || close(fd) || rename(tmp.ptr, path)) {
		rc = customs_error(ctx, CUSTOMS_EIO, "cannot write '%s': %s",
				   path, strerror(errno));
		if (fd >= 0)
			unlink(tmp.ptr);
	}
out:
	if (text)
		explicit_bzero(text, strlen(text));
	customs_free(text);
	cbuf_release(&tmp);
	return rc;
}

/* GET /v2/ with the credentials must give 200. */
static int verify(struct reg_client *c, struct customs_ctx *ctx)
{
	struct cbuf body = CBUF_INIT(65536);
	struct http_sink sink = { .mem = &body, .fd = -1, .max = 65536 };
	struct http_req req = { .head = false };
	struct http_resp r;
	char *url = NULL;
	struct cbuf u = CBUF_INIT(8192);
	int rc;

	memset(&r, 0, sizeof(r));
	cbuf_printf(&u, "%s/v2/", c->base);
	url = cbuf_detach(&u);
	req.url = url;
	req.ca_file = c->ca_file;
	req.insecure = c->insecure;
	rc = url ? reg_request(c, c->easy, &req, &sink, &r, "GET /v2/", ctx)
		 : customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (!rc && r.status != 200)
		rc = reg_status_error(c, &r, "login", ctx);
	customs_free(url);
	cbuf_release(&body);
	cbuf_release(&u);
	http_resp_release(&r);
	return rc;
}

static int host_ref(struct customs_ref *ref, const char *host,
		    struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(1024);
	int rc;

	if (!host || !*host || strchr(host, '/'))
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "'%s' is not a registry host[:port]",
				     host ? host : "");
	cbuf_printf(&b, "%s/customs/login", host);
	rc = cbuf_error(&b) ? customs_error(ctx, CUSTOMS_EINVAL,
					    "registry name too long")
			    : customs_ref_parse(ref, b.ptr, ctx);
	cbuf_release(&b);
	if (!rc && strcmp(ref->domain, host) && strcmp(host, "docker.io") &&
	    strcmp(host, "index.docker.io")) {
		customs_ref_release(ref);
		rc = customs_error(ctx, CUSTOMS_EINVAL,
				   "'%s' is not a registry host[:port]", host);
	}
	return rc;
}

static int store_auth(const char *dir, const char *domain,
		      const struct customs_registry_opts *o,
		      struct customs_ctx *ctx)
{
	struct reg_creds cr = { (char *)o->username, (char *)o->password,
				false };
	char *path = NULL, *basic = NULL, *helper = NULL;
	json_t *root = NULL, *auths, *entry;
	int rc = reg_config_path(&path, dir, ctx);

	if (!rc)
		rc = load_config(&root, path, ctx);
	if (!rc)
		rc = reg_helper_for(&helper, root, domain);
	/* a credential helper keeps the secret; config.json an empty entry */
	if (!rc && helper)
		rc = reg_helper_store(helper, domain, &cr, ctx);
	else if (!rc && !(basic = reg_basic(&cr)))
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (rc)
		goto out;
	auths = json_object_get(root, "auths");
	if (!json_is_object(auths)) {
		auths = json_object();
		json_object_set_new(root, "auths", auths);
	}
	entry = helper ? json_object() : json_pack("{s:s}", "auth", basic + 6);
	if (!entry || json_object_set_new(auths, reg_config_key(domain), entry))
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	else
		rc = save_config(root, path, ctx);
out:
	if (basic)
		explicit_bzero(basic, strlen(basic));
	customs_free(basic);
	customs_free(helper);
	customs_free(path);
	json_decref(root);
	return rc;
}

int customs_registry_login(struct customs_ctx *ctx, const char *host,
			   const struct customs_registry_opts *o)
{
	struct customs_ref ref = { NULL, NULL, NULL, NULL };
	struct reg_client *c = NULL;
	int rc;

	if (!o || !o->username || !o->password || !*o->username)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "login needs a username and a password");
	rc = host_ref(&ref, host, ctx);
	if (!rc)
		rc = reg_client_new(&c, &ref, o, ctx);
	if (!rc)
		rc = verify(c, ctx);
	if (!rc)
		rc = store_auth(o->config_dir, ref.domain, o, ctx);
	reg_client_free(c);
	customs_ref_release(&ref);
	return rc;
}

static bool remove_matching(json_t *auths, const char *domain)
{
	const char *key;
	json_t *v;
	void *tmp;
	bool found = false;

	json_object_foreach_safe(auths, tmp, key, v)
	{
		(void)v;
		if (!strcmp(key, reg_config_key(domain)) ||
		    !strcmp(key, domain)) {
			json_object_del(auths, key);
			found = true;
		}
	}
	return found;
}

int customs_registry_logout(struct customs_ctx *ctx, const char *host,
			    const struct customs_registry_opts *o)
{
	struct customs_ref ref = { NULL, NULL, NULL, NULL };
	json_t *root = NULL;
	char *path = NULL, *helper = NULL;
	bool erased = false;
	int rc = host_ref(&ref, host, ctx);

	if (!rc)
		rc = reg_config_path(&path, o ? o->config_dir : NULL, ctx);
	if (!rc)
		rc = load_config(&root, path, ctx);
	if (!rc)
		rc = reg_helper_for(&helper, root, ref.domain);
	if (!rc && helper) {
		rc = reg_helper_erase(helper, ref.domain, ctx);
		erased = !rc;
		if (rc == CUSTOMS_ENOTFOUND) { /* the helper had none */
			customs_ctx_clear(ctx);
			rc = 0;
		}
	}
	if (!rc &&
	    !remove_matching(json_object_get(root, "auths"), ref.domain) &&
	    !erased)
		rc = customs_error(ctx, CUSTOMS_ENOTFOUND,
				   "not logged in to '%s' ('%s' has no "
				   "credentials for it)",
				   host, path);
	if (!rc)
		rc = save_config(root, path, ctx);
	json_decref(root);
	customs_free(helper);
	customs_free(path);
	customs_ref_release(&ref);
	return rc;
}
