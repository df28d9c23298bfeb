/*
 * Registry credentials as Docker keeps them: config.json in
 * $DOCKER_CONFIG or ~/.docker, with "auths" (base64 "user:password" per
 * registry key), "credHelpers" (a helper per registry) and "credsStore"
 * (a helper for all). An "auths" entry with an "identitytoken", or a
 * helper answering Username "<token>", gives an identity token (an
 * OAuth2 refresh token) instead of a password; reg_creds says which.
 * A helper is the program docker-credential-NAME
 * speaking the `get` protocol (server URL on stdin, JSON on stdout);
 * when it is not installed the inline "auths" entry is used, so a
 * config written on a desktop still works in CI. `customs login` and
 * `logout` use its `store` (JSON on stdin) and `erase` (server URL)
 * actions, as docker does, when config.json names one. Secrets live only in
 * struct reg_creds and are wiped when it is released; no message ever
 * contains one.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fdio.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

#define CONFIG_MAX (4u << 20)
#define HELPER_OUT_MAX (64u << 10)
#define DOCKER_HUB_KEY "https://index.docker.io/v1/"
/* The user name Docker gives an identity token (helpers, config.json). */
#define TOKEN_USERNAME "<token>"

extern char **environ;

void reg_creds_release(struct reg_creds *c)
{
	if (c->password)
		explicit_bzero(c->password, strlen(c->password));
	customs_free(c->username);
	customs_free(c->password);
	c->username = c->password = NULL;
	c->identity = false;
}

static int set_creds(struct reg_creds *out, const char *user,
		     const char *secret)
{
	out->username = customs_strdup(user);
	out->password = customs_strdup(secret);
	out->identity = !strcmp(user, TOKEN_USERNAME);
	if (out->username && out->password)
		return 0;
	reg_creds_release(out);
	return CUSTOMS_ENOMEM;
}

const char *reg_config_key(const char *host)
{
	if (!strcmp(host, "docker.io") || !strcmp(host, "index.docker.io") ||
	    !strcmp(host, "registry-1.docker.io"))
		return DOCKER_HUB_KEY;
	return host;
}

int reg_config_path(char **out, const char *dir, struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(4096);
	const char *env = getenv("DOCKER_CONFIG");
	const char *home = getenv("HOME");

	if (dir)
		cbuf_printf(&b, "%s/config.json", dir);
	else if (env && *env)
		cbuf_printf(&b, "%s/config.json", env);
	else if (home && *home)
		cbuf_printf(&b, "%s/.docker/config.json", home);
	else
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "no HOME: cannot find docker config.json");
	if (cbuf_error(&b))
		return customs_error(ctx, cbuf_error(&b),
				     "docker config path too long");
	*out = cbuf_detach(&b);
	return *out ? 0 : customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
}

/* "https://host/v1/" -> "host"; compares the key's host with host. */
static bool key_matches(const char *key, const char *host)
{
	size_t n;

	if (!strncmp(key, "https://", 8))
		key += 8;
	else if (!strncmp(key, "http://", 7))
		key += 7;
	n = strcspn(key, "/");
	if (!strcmp(reg_config_key(host), DOCKER_HUB_KEY))
		return (n == 15 && !strncmp(key, "index.docker.io", 15)) ||
		       (n == 9 && !strncmp(key, "docker.io", 9)) ||
		       (n == 20 && !strncmp(key, "registry-1.docker.io", 20));
	return strlen(host) == n && !strncmp(key, host, n);
}

static int decode_auth(struct reg_creds *out, const char *b64)
{
	size_t n = strlen(b64);
	unsigned char *raw;
	char *colon;
	int len;

	if (n == 0 || n % 4 || n > 16384)
		return CUSTOMS_EFORMAT;
	raw = customs_malloc(n + 1);
	if (!raw)
		return CUSTOMS_ENOMEM;
	len = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
	if (len < 0) {
		customs_free(raw);
		return CUSTOMS_EFORMAT;
	}
	while (len > 0 && b64[n - 1] == '=' && n--)
		len--; /* EVP_DecodeBlock counts the padding */
	raw[len] = '\0';
	colon = strchr((char *)raw, ':');
	if (colon && strlen((char *)raw) == (size_t)len) {
		*colon = '\0';
		out->username = customs_strdup((char *)raw);
		out->password = customs_strdup(colon + 1);
	}
	explicit_bzero(raw, n + 1);
	customs_free(raw);
	if (!colon)
		return CUSTOMS_EFORMAT;
	if (!out->username || !out->password) {
		reg_creds_release(out);
		return CUSTOMS_ENOMEM;
	}
	return 0;
}

/*
 * An identity token wins over "auth", which then holds only the user
 * name ("user:" or "<token>:"), as docker login writes it.
 */
static int entry_creds(struct reg_creds *out, json_t *e)
{
	json_t *a = json_object_get(e, "auth");
	json_t *u = json_object_get(e, "username");
	json_t *p = json_object_get(e, "password");
	json_t *it = json_object_get(e, "identitytoken");

	if (json_is_string(it) && json_string_length(it))
		return set_creds(out, TOKEN_USERNAME, json_string_value(it));
	if (json_is_string(a) && json_string_length(a))
		return decode_auth(out, json_string_value(a));
	if (!json_is_string(u) || !json_is_string(p))
		return 0;
	return set_creds(out, json_string_value(u), json_string_value(p));
}

int reg_helper_for(char **helper, json_t *root, const char *host)
{
	json_t *h = json_object_get(json_object_get(root, "credHelpers"), host);

	if (!json_is_string(h))
		h = json_object_get(root, "credsStore");
	if (!json_is_string(h) || !json_string_length(h) ||
	    strpbrk(json_string_value(h), "/\\"))
		return 0;
	*helper = customs_strdup(json_string_value(h));
	return *helper ? 0 : CUSTOMS_ENOMEM;
}

int reg_config_parse(struct reg_creds *out, char **helper, const char *json,
		     size_t len, const char *host, struct customs_ctx *ctx)
{
	json_t *root, *auths, *e;
	const char *key;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	*helper = NULL;
	customs_json_alloc_init();
	root = json_loadb(json, len, 0, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "docker config.json: not a JSON object");
	}
	auths = json_object_get(root, "auths");
	json_object_foreach(auths, key, e)
	{
		if (!json_is_object(e) || !key_matches(key, host))
			continue;
		rc = entry_creds(out, e);
		if (rc == CUSTOMS_EFORMAT)
			customs_error(ctx, rc,
				      "docker config.json: auths '%.200s': "
				      "bad 'auth' value (not base64 of "
				      "user:password)",
				      key);
		if (rc || out->username)
			break;
	}
	if (!rc)
		rc = reg_helper_for(helper, root, host);
	if (rc == CUSTOMS_ENOMEM)
		customs_error(ctx, rc, "out of memory");
	json_decref(root);
	return rc;
}

/*
 * Run docker-credential-NAME ACTION with input on stdin, its stdout into
 * outb. Returns 0, CUSTOMS_EUNSUPPORTED (not installed), CUSTOMS_ENOTFOUND
 * (it exited non-zero: "credentials not found" for get) or CUSTOMS_EIO.
 */
static int run_helper(struct cbuf *outb, const char *name, const char *action,
		      const char *input, size_t inlen)
{
	posix_spawn_file_actions_t fa;
	char prog[200];
	char *argv[] = { prog, (char *)action, NULL };
	int in[2] = { -1, -1 }, outp[2] = { -1, -1 }, st = 0, rc;
	pid_t pid;

	snprintf(prog, sizeof(prog), "docker-credential-%s", name);
	if (pipe2(in, O_CLOEXEC) || pipe2(outp, O_CLOEXEC))
		return CUSTOMS_EIO;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(outp[1]);
	if (rc) {
		close(in[1]);
		close(outp[0]);
		return rc == ENOENT ? CUSTOMS_EUNSUPPORTED : CUSTOMS_EIO;
	}
	if (write(in[1], input, inlen) < 0)
		rc = CUSTOMS_EIO;
	close(in[1]);
	if (customs_read_cbuf(outp[0], outb))
		rc = CUSTOMS_EIO;
	close(outp[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!rc && (!WIFEXITED(st) || WEXITSTATUS(st)))
		rc = CUSTOMS_ENOTFOUND; /* "credentials not found" */
	return rc;
}

static int helper_creds(struct reg_creds *out, const char *name,
			const char *host, struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(HELPER_OUT_MAX);
	json_t *root = NULL, *u, *s;
	const char *url = reg_config_key(host);
	int rc = run_helper(&b, name, "get", url, strlen(url));

	if (rc == CUSTOMS_ENOTFOUND || rc == CUSTOMS_EUNSUPPORTED) {
		rc = 0;
		goto out;
	}
	if (rc) {
		rc = customs_error(ctx, CUSTOMS_EIO,
				   "credential helper docker-credential-%s "
				   "failed for '%s'",
				   name, host);
		goto out;
	}
	root = json_loadb(b.ptr, b.len, 0, NULL);
	u = json_object_get(root, "Username");
	s = json_object_get(root, "Secret");
	if (!json_is_string(u) || !json_is_string(s)) {
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "credential helper docker-credential-%s: "
				   "reply for '%s' has no Username/Secret",
				   name, host);
		goto out;
	}
	if (set_creds(out, json_string_value(u), json_string_value(s)))
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
out:
	json_decref(root);
	explicit_bzero(b.ptr, b.len);
	cbuf_release(&b);
	return rc;
}

static int helper_failed(int rc, const char *name, const char *action,
			 const char *host, struct customs_ctx *ctx)
{
	if (rc == CUSTOMS_EUNSUPPORTED)
		return customs_error(ctx, CUSTOMS_EIO,
				     "credential helper docker-credential-%s "
				     "(named in config.json) is not installed",
				     name);
	return customs_error(
		ctx, rc == CUSTOMS_ENOTFOUND ? CUSTOMS_ENOTFOUND : CUSTOMS_EIO,
		"credential helper docker-credential-%s could not "
		"%s the credentials for '%s'",
		name, action, host);
}

int reg_helper_store(const char *name, const char *host,
		     const struct reg_creds *cr, struct customs_ctx *ctx)
{
	struct cbuf out = CBUF_INIT(HELPER_OUT_MAX);
	json_t *j;
	char *text;
	int rc;

	customs_json_alloc_init();
	j = json_pack("{s:s,s:s,s:s}", "ServerURL", reg_config_key(host),
		      "Username", cr->username, "Secret", cr->password);
	text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!text)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	rc = run_helper(&out, name, "store", text, strlen(text));
	explicit_bzero(text, strlen(text));
	customs_free(text);
	cbuf_release(&out);
	return rc ? helper_failed(rc, name, "store", host, ctx) : 0;
}

int reg_helper_erase(const char *name, const char *host,
		     struct customs_ctx *ctx)
{
	struct cbuf out = CBUF_INIT(HELPER_OUT_MAX);
	const char *url = reg_config_key(host);
	int rc = run_helper(&out, name, "erase", url, strlen(url));

	cbuf_release(&out);
	return rc ? helper_failed(rc, name, "erase", host, ctx) : 0;
}

static int read_file(struct cbuf *b, const char *path, bool *missing)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	*missing = fd < 0 && errno == ENOENT;
	if (fd < 0)
		return *missing ? 0 : CUSTOMS_EIO;
	rc = customs_read_cbuf(fd, b);
	close(fd);
	return rc;
}

int reg_creds_lookup(struct reg_creds *out, const char *dir, const char *host,
		     struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(CONFIG_MAX);
	char *path = NULL, *helper = NULL;
	bool missing = false;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = reg_config_path(&path, dir, ctx);
	if (rc)
		return getenv("HOME") || dir ? rc : 0;
	rc = read_file(&b, path, &missing);
	if (rc)
		rc = customs_error(ctx, rc, "cannot read '%s'", path);
	else if (!missing)
		rc = reg_config_parse(out, &helper, b.ptr, b.len, host, ctx);
	if (!rc && helper) {
		struct reg_creds h = { NULL, NULL, false };

		rc = helper_creds(&h, helper, host, ctx);
		if (!rc && h.username) {
			reg_creds_release(out);
			*out = h;
		}
	}
	if (rc && rc != CUSTOMS_ENOMEM)
		customs_error_prefix(ctx, "'%s'", path);
	explicit_bzero(b.ptr, b.len);
	cbuf_release(&b);
	customs_free(helper);
	customs_free(path);
	return rc;
}
