// The book's figures at full size: a click or tap on a figure (or Enter on it) opens its image in a dialog at the
// image's own pixel size, scrolling when larger than the screen; Escape, the close button or a click beside the
// image closes it, and the focus returns to the figure.
(() => {
  let dialog = null;

  function make() {
    dialog = document.createElement("dialog");
    dialog.className = "ll-figure-dialog";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "ll-figure-close";
    close.textContent = "Sluiten";
    close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    dialog.append(close, document.createElement("img"));
    document.body.append(dialog);
  }

  document.addEventListener("click", (event) => {
    const opener = event.target.closest("button.ll-figure-open");
    const image = opener && opener.querySelector("img");
    if (!image) return;
    if (!dialog) make();
    const big = dialog.querySelector("img");
    big.src = image.src;
    big.alt = image.alt;
    big.width = image.naturalWidth;
    big.height = image.naturalHeight;
    dialog.setAttribute("aria-label", image.alt);
    dialog.showModal();
  });
})();
