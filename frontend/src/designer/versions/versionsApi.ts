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
  /** Newest first; `cursor` (a page's next_cursor) pages to older ones. */
  list: (machine: string, cursor: string | null, limit: number) =>
    request<{ versions: VersionSummary[]; next_cursor: string | null }>(
      "GET",
      `${base(machine)}?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    ),
  get: (machine: string, number: number) => request<Version>("GET", `${base(machine)}${number}/`),
};
