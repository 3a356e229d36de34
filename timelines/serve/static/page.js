// Timelines: send a form without leaving the page, and show the page that comes back.
// Forms marked data-auto are sent whenever one of their fields changes; the upload
// form is sent as soon as files are chosen. The download and Stop forms are ordinary.
"use strict";

let sending = Promise.resolve();

function send(form, submitter) {
  const body = new FormData(form, submitter || undefined);
  document.body.classList.add("busy");
  sending = sending
    .then(() => fetch(form.action, { method: "POST", body: body, credentials: "same-origin" }))
    .then((response) => response.text())
    .then((html) => {
      const page = new DOMParser().parseFromString(html, "text/html");
      const main = page.getElementById("main");
      if (!main) {
        document.documentElement.innerHTML = page.documentElement.innerHTML;
        return;
      }
      // Keep the reader's place: scroll, the field in use, and what is being typed in it.
      const scroll = window.scrollY;
      const active = document.activeElement;
      const typing = active && active.id && active.value !== undefined ? active : null;
      document.getElementById("main").replaceWith(main);
      window.scrollTo(0, scroll);
      const again = typing && document.getElementById(typing.id);
      if (again) {
        if (typing.value !== typing.defaultValue && ["text", "password"].includes(again.type)) {
          again.value = typing.value;
        }
        again.focus({ preventScroll: true });
      }
    })
    .catch(() => {
      document.body.classList.add("lost");
    })
    .finally(() => document.body.classList.remove("busy"));
}

document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (!form) return;
  if (form.hasAttribute("data-upload") && event.target.type === "file") send(form);
  else if (form.hasAttribute("data-auto")) send(form);
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.hasAttribute("data-auto") || form.hasAttribute("data-upload")) {
    event.preventDefault();
    send(form, event.submitter);
  }
});
