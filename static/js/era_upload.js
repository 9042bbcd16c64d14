// ERA upload with progress: the bytes sent, then "posting" until the server answers.
(function () {
  "use strict";
  var form = document.querySelector("form[data-era-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    if (!input || !input.files || !input.files.length) { return; }
    event.preventDefault();
    var box = document.getElementById("era-upload-progress");
    var bar = document.getElementById("era-upload-bar");
    var status = document.getElementById("era-upload-status");
    var button = form.querySelector("button[type=submit]");
    box.hidden = false;
    button.disabled = true;
    status.textContent = "Uploading…";
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("X-Requested-With", "fetch");
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = "Uploading… " + bar.value + "%";
      }
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value");  // indeterminate while the server posts
      status.textContent = "Posting: matching claims and writing the ledger…";
    });
    request.addEventListener("load", function () {
      var answer = null;
      try { answer = JSON.parse(request.responseText); } catch (err) { answer = null; }
      if (request.status === 200 && answer && answer.redirect) {
        status.textContent = answer.message;
        window.location.assign(answer.redirect);
      } else {
        form.submit();  // let the server render the form's errors
      }
    });
    request.addEventListener("error", function () {
      status.textContent = "The upload failed: check the connection and try again.";
      button.disabled = false;
    });
    request.send(new FormData(form));
  });
})();
