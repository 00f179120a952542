// The version history over REST (designer/versions_api.py).
import { request } from "../../api";
import type { Definition, Layout } from "../../asl/types";

export interface VersionSummary {
  number: number;
  created_at: string;
  created_by: string | null;
  comment: string;
}

export interface Version extends VersionSummary {
  definition: Definition;
  layout: Layout | null;
}

const base = (machine: string): string =>
  `/api/v1/state-machines/${encodeURIComponent(machine)}/versions/`;

export const versionsApi = {
  /** Newest first; `before` pages to older ones. */
  list: (machine: string, before: number | null, limit: number) =>
    request<{ versions: VersionSummary[]; next_before: number | null }>(
      "GET",
      `${base(machine)}?limit=${limit}${before ? `&before=${before}` : ""}`,
    ),
  get: (machine: string, number: number) => request<Version>("GET", `${base(machine)}${number}/`),
};
