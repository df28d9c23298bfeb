/*
 * The image config (Docker and OCI share its shape) -> struct
 * customs_image_info: platform, runtime config (user, env, entrypoint,
 * ports, volumes, labels, healthcheck), history, and rootfs.diff_ids,
 * which are attached to the layers the manifest already listed. Lists
 * that are sets in the config (ports, volumes, labels) come out sorted so
 * that every report built from them is stable. Unknown fields are
 * ignored, absent or null ones are fine, wrong types are CUSTOMS_EFORMAT
 * naming the field.
 */
#include <stdio.h>
#include <string.h>

#include "image/image_priv.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/banned.h"

#define FIELD_MAX 64

static int top_fields(struct customs_image_info *info, json_t *root,
		      const char *what, struct customs_ctx *ctx)
{
	int rc;

	rc = image_json_str(&info->architecture, root, "architecture", what,
			    ctx);
	if (!rc)
		rc = image_json_str(&info->os, root, "os", what, ctx);
	if (!rc)
		rc = image_json_str(&info->variant, root, "variant", what, ctx);
	if (!rc)
		rc = image_json_str(&info->created, root, "created", what, ctx);
	if (!rc)
		rc = image_json_str(&info->author, root, "author", what, ctx);
	if (!rc)
		rc = image_json_str(&info->docker_version, root,
				    "docker_version", what, ctx);
	return rc;
}

static int healthcheck(struct customs_healthcheck *hc, json_t *cfg,
		       const char *what, struct customs_ctx *ctx)
{
	json_t *o;
	int rc;

	rc = image_json_object(&o, cfg, "config.Healthcheck", what, ctx);
	if (rc || !o)
		return rc;
	hc->present = true;
	rc = image_json_strlist(&hc->test, o, "config.Healthcheck.Test", what,
				ctx);
	if (!rc)
		rc = image_json_int(&hc->interval, o,
				    "config.Healthcheck.Interval", what, ctx);
	if (!rc)
		rc = image_json_int(&hc->timeout, o,
				    "config.Healthcheck.Timeout", what, ctx);
	if (!rc)
		rc = image_json_int(&hc->start_period, o,
				    "config.Healthcheck.StartPeriod", what,
				    ctx);
	if (!rc)
		rc = image_json_int(&hc->retries, o,
				    "config.Healthcheck.Retries", what, ctx);
	return rc;
}

static int config_strings(struct customs_image_info *info, json_t *cfg,
			  const char *what, struct customs_ctx *ctx)
{
	int rc;

	rc = image_json_str(&info->user, cfg, "config.User", what, ctx);
	if (!rc)
		rc = image_json_str(&info->working_dir, cfg,
				    "config.WorkingDir", what, ctx);
	if (!rc)
		rc = image_json_str(&info->stop_signal, cfg,
				    "config.StopSignal", what, ctx);
	if (!rc)
		rc = image_json_strlist(&info->env, cfg, "config.Env", what,
					ctx);
	if (!rc)
		rc = image_json_strlist(&info->entrypoint, cfg,
					"config.Entrypoint", what, ctx);
	if (!rc)
		rc = image_json_strlist(&info->cmd, cfg, "config.Cmd", what,
					ctx);
	if (!rc)
		rc = image_json_strlist(&info->shell, cfg, "config.Shell", what,
					ctx);
	return rc;
}

static int config_fields(struct customs_image_info *info, json_t *root,
			 const char *what, struct customs_ctx *ctx)
{
	json_t *cfg;
	int rc;

	rc = image_json_object(&cfg, root, "config", what, ctx);
	if (rc || !cfg)
		return rc;
	rc = config_strings(info, cfg, what, ctx);
	if (!rc)
		rc = image_json_keys(&info->exposed_ports, cfg,
				     "config.ExposedPorts", what, ctx);
	if (!rc)
		rc = image_json_keys(&info->volumes, cfg, "config.Volumes",
				     what, ctx);
	if (!rc)
		rc = image_json_labels(&info->labels, cfg, "config.Labels",
				       what, ctx);
	if (!rc)
		rc = healthcheck(&info->healthcheck, cfg, what, ctx);
	return rc;
}

static int history_entry(struct customs_history *h, json_t *e, size_t i,
			 const char *what, struct customs_ctx *ctx)
{
	char f[FIELD_MAX];
	int rc;

	snprintf(f, sizeof(f), "history[%zu]", i);
	if (!json_is_object(e))
		return image_json_type_error(f, "an object", what, ctx);
	snprintf(f, sizeof(f), "history[%zu].created", i);
	rc = image_json_str(&h->created, e, f, what, ctx);
	snprintf(f, sizeof(f), "history[%zu].created_by", i);
	if (!rc)
		rc = image_json_str(&h->created_by, e, f, what, ctx);
	snprintf(f, sizeof(f), "history[%zu].author", i);
	if (!rc)
		rc = image_json_str(&h->author, e, f, what, ctx);
	snprintf(f, sizeof(f), "history[%zu].comment", i);
	if (!rc)
		rc = image_json_str(&h->comment, e, f, what, ctx);
	snprintf(f, sizeof(f), "history[%zu].empty_layer", i);
	if (!rc)
		rc = image_json_bool(&h->empty_layer, e, f, what, ctx);
	return rc;
}

static int history(struct customs_image_info *info, json_t *root,
		   const char *what, struct customs_ctx *ctx)
{
	json_t *arr, *e;
	size_t i;
	int rc;

	rc = image_json_array(&arr, root, "history", what, ctx);
	if (rc || !arr || !json_array_size(arr))
		return rc;
	info->history =
		customs_calloc(json_array_size(arr), sizeof(*info->history));
	if (!info->history)
		return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory",
				     what);
	json_array_foreach(arr, i, e)
	{
		info->n_history = i + 1;
		rc = history_entry(&info->history[i], e, i, what, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

static int diff_ids(struct customs_image_info *info, json_t *root,
		    const char *what, struct customs_ctx *ctx)
{
	struct customs_strlist ids = { NULL, 0 };
	unsigned char sha[32];
	json_t *rootfs;
	size_t i;
	int rc;

	rc = image_json_object(&rootfs, root, "rootfs", what, ctx);
	if (!rc)
		rc = image_json_strlist(&ids, rootfs, "rootfs.diff_ids", what,
					ctx);
	for (i = 0; !rc && i < ids.n; i++) {
		if (!customs_digest_parse(sha, ids.v[i]))
			rc = image_json_type_error("rootfs.diff_ids",
						   "an array of sha256 digests",
						   what, ctx);
	}
	/* Without diff_ids the layers simply have none; with them, one each. */
	if (!rc && json_is_array(json_object_get(rootfs, "diff_ids")) &&
	    ids.n != info->n_layers)
		rc = customs_error(
			ctx, CUSTOMS_EFORMAT,
			"%s: field 'rootfs.diff_ids': %zu entries but "
			"the manifest lists %zu layers",
			what, ids.n, info->n_layers);
	for (i = 0; !rc && i < ids.n; i++) {
		info->layers[i].diff_id = ids.v[i];
		ids.v[i] = NULL;
	}
	image_strlist_release(&ids);
	return rc;
}

static int dup_into(char **slot, const char *s)
{
	if (!s)
		return 0;
	*slot = customs_strdup(s);
	return *slot ? 0 : CUSTOMS_ENOMEM;
}

/* The i-th history entry that made a layer belongs to layer i. */
static int map_history(struct customs_image_info *info, const char *what,
		       struct customs_ctx *ctx)
{
	size_t h, l = 0;

	for (h = 0; h < info->n_history && l < info->n_layers; h++) {
		const struct customs_history *e = &info->history[h];

		if (e->empty_layer)
			continue;
		if (dup_into(&info->layers[l].created_by, e->created_by) ||
		    dup_into(&info->layers[l].created, e->created))
			return customs_error(ctx, CUSTOMS_ENOMEM,
					     "%s: out of memory", what);
		l++;
	}
	return 0;
}

int image_config_parse(struct customs_image_info *info, const char *buf,
		       size_t len, const char *what, struct customs_ctx *ctx)
{
	json_t *root = NULL;
	int rc;

	rc = image_json_load(&root, buf, len, what, ctx);
	if (rc)
		return rc;
	if (!json_is_object(root))
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "%s: expected a JSON object", what);
	if (!rc)
		rc = top_fields(info, root, what, ctx);
	if (!rc)
		rc = config_fields(info, root, what, ctx);
	if (!rc)
		rc = history(info, root, what, ctx);
	if (!rc)
		rc = diff_ids(info, root, what, ctx);
	if (!rc)
		rc = map_history(info, what, ctx);
	json_decref(root);
	return rc;
}

static void layers_release(struct customs_image_info *info)
{
	size_t i;

	for (i = 0; i < info->n_layers; i++) {
		struct customs_layer_info *l = &info->layers[i];

		customs_free(l->digest);
		customs_free(l->diff_id);
		customs_free(l->media_type);
		customs_free(l->created_by);
		customs_free(l->created);
	}
	customs_free(info->layers);
}

static void history_release(struct customs_image_info *info)
{
	size_t i;

	for (i = 0; i < info->n_history; i++) {
		struct customs_history *h = &info->history[i];

		customs_free(h->created);
		customs_free(h->created_by);
		customs_free(h->author);
		customs_free(h->comment);
	}
	customs_free(info->history);
}

void image_info_release(struct customs_image_info *info)
{
	char **strs[] = {
		&info->source_path,    &info->id,      &info->manifest_digest,
		&info->index_digest,   &info->os,      &info->architecture,
		&info->variant,	       &info->created, &info->author,
		&info->docker_version, &info->user,    &info->working_dir,
		&info->stop_signal
	};
	struct customs_strlist *lists[] = {
		&info->repo_tags,  &info->platforms, &info->env,
		&info->entrypoint, &info->cmd,	     &info->exposed_ports,
		&info->volumes,	   &info->shell,     &info->healthcheck.test
	};
	size_t i;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		customs_free(*strs[i]);
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		image_strlist_release(lists[i]);
	image_kvlist_release(&info->labels);
	layers_release(info);
	history_release(info);
	memset(info, 0, sizeof(*info));
}
