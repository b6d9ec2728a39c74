/**
 * Saves data as a file download in the browser: a link to a blob URL, clicked, then removed; the URL is
 * revoked a moment later (revoking at once can cancel the download in some browsers). Shared by the
 * hand-in buttons and the timeline's run export. No dependencies, so any island can use it.
 */
export function saveDownload(data: BlobPart, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
