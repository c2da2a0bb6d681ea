// One-tap share of a report file from a phone (LINE, mail...), else a plain download.
// Links marked data-share stay normal download links; when the browser can
// share files (Web Share API level 2) a tap fetches the file and opens the
// phone's share sheet instead.
(function () {
  "use strict";

  function canShareFiles() {
    if (!navigator.canShare || !window.File) return false;
    try {
      return navigator.canShare({ files: [new File(["x"], "x.pdf", { type: "application/pdf" })] });
    } catch (e) {
      return false;
    }
  }

  function fileName(link, response) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
    return match ? decodeURIComponent(match[1]) : link.href.split("/").pop();
  }

  async function share(event) {
    var link = event.currentTarget;
    event.preventDefault();
    link.setAttribute("aria-busy", "true");
    try {
      var response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      var blob = await response.blob();
      var file = new File([blob], fileName(link, response), { type: blob.type });
      if (!navigator.canShare({ files: [file] })) throw new Error("cannot share");
      await navigator.share({ files: [file], title: document.title });
    } catch (err) {
      // The person closed the share sheet: nothing more to do.
      if (err && err.name === "AbortError") return;
      window.location.href = link.href;  // fall back to the download
    } finally {
      link.removeAttribute("aria-busy");
    }
  }

  if (!canShareFiles()) return;
  document.querySelectorAll("a[data-share]").forEach(function (link) {
    link.addEventListener("click", share);
  });
})();
