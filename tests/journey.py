"""What the journey test (tests/test_journey.py) does as a person: read a page, fill in its form, follow its links.

A Person is a test client that only goes where a page or an e-mail sends it. Every page it lands on is checked (no
404, no 500, no English), and every same-site link on it is opened once per person and checked the same way.
"""

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

# Django's own texts that show when a page or form was not translated, or an error page is Django's, not ours.
ENGLISH = re.compile(
    r"\b(Select an option|This field is required|Page not found|Not Found|Server Error|Bad Request|Forbidden|"
    r"Submit|Save|Cancel|Delete|Log in|Log out|Enter a valid|Ensure this value|Are you sure|Currently|Change|"
    r"Clear|Choose|Home)\b|---------"
)
# Links that are not pages of the portal: another site, an anchor, the static files.
SKIPPED = re.compile(r"^(#|mailto:|tel:|javascript:|/static/)")


HIDDEN = {"script", "style", "template"}


def visible_text(soup):
    return " ".join(" ".join(s for s in soup.find_all(string=True) if s.parent.name not in HIDDEN).split())


def norm(text):
    return " ".join(text.replace("*", " ").split()).rstrip(":").strip()


class Page:
    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.url = response.request["PATH_INFO"] + (
            "?" + response.request["QUERY_STRING"] if response.request.get("QUERY_STRING") else ""
        )
        self.is_html = response.get("Content-Type", "").startswith("text/html")
        if self.is_html:
            self.soup = BeautifulSoup(response.content, "html.parser")
            main = self.soup.find("main") or self.soup
            self.text = visible_text(main)
            self.all_text = visible_text(self.soup.body or self.soup)
            self.all_text = " ".join([self.all_text, *(o.get_text() for o in self.soup.find_all("option"))])
        else:
            self.soup, self.text, self.all_text = None, "", ""

    def shows(self, *texts):
        for text in texts:
            assert text in self.text, f"{self.url} does not show {text!r}:\n{self.text}"
        return self

    def lacks(self, *texts):
        for text in texts:
            assert text not in self.text, f"{self.url} shows {text!r}:\n{self.text}"
        return self

    def link(self, text, *, nth=0):
        """The href of the nth link whose text is `text`, or else starts with it."""
        links = [(norm(a.get_text()).lower(), a["href"]) for a in self.soup.find_all("a", href=True)]
        found = [href for label, href in links if label == text.lower()] or [
            href for label, href in links if label.startswith(text.lower())
        ]
        assert len(found) > nth, f"{self.url} has no link {text!r}; links: {self.link_texts()}"
        return found[nth]

    def link_texts(self):
        return [norm(a.get_text()) for a in self.soup.find_all("a", href=True)]

    def buttons(self, text):
        """How many submit buttons of forms are, or start with, `text`."""
        return sum(
            1
            for b in self.soup.select("form button, form input[type=submit]")
            if norm(b.get_text() if b.name == "button" else b.get("value", "")).startswith(text)
        )

    def form(self, button, *, nth=0):
        """The nth form with a submit button whose text (or value) is or starts with `button`."""
        found = []
        for form in self.soup.find_all("form"):
            for element in form.find_all(["button", "input"]):
                if element.name == "input" and element.get("type") != "submit":
                    continue
                if element.name == "button" and element.get("type", "submit") != "submit":
                    continue
                label = norm(element.get_text() if element.name == "button" else element.get("value", ""))
                if label == button or label.startswith(button):
                    found.append((form, element))
                    break
        buttons = [
            norm(b.get_text() if b.name == "button" else b.get("value", ""))
            for b in self.soup.select("form button, form input[type=submit]")
        ]
        assert len(found) > nth, f"{self.url} has no form with the button {button!r}; buttons: {buttons}"
        return found[nth]


def _form_data(form, button):
    data = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "select":
            options = element.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")] or options[:1]
            if element.has_attr("multiple"):
                chosen = [o for o in options if o.has_attr("selected")]
            data.setdefault(name, []).extend(o.get("value", o.get_text()) for o in chosen)
        elif element.name == "textarea":
            data.setdefault(name, []).append(element.get_text())
        else:
            kind = element.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and not element.has_attr("checked"):
                continue
            data.setdefault(name, []).append(element.get("value", "on" if kind in ("checkbox", "radio") else ""))
    if button.get("name"):
        data[button["name"]] = [button.get("value", "")]
    return data


def _label_of(form, element):
    if element.get("id"):
        label = form.find("label", attrs={"for": element["id"]})
        if label:
            return norm(label.get_text())
    parent = element.find_parent("label")
    return norm(parent.get_text()) if parent else ""


def _field_name(form, key):
    """A field named `key`, or labelled `key` (a label, or the legend of a group of radios or checkboxes)."""
    if form.find(attrs={"name": key}):
        return key
    for label in form.find_all("label"):
        if norm(label.get_text()) == key and label.get("for"):
            target = form.find(id=label["for"])
            if target is not None and target.get("name"):
                return target["name"]
    for legend in form.find_all("legend"):
        if norm(legend.get_text()) == key:
            target = legend.find_parent("fieldset").find(attrs={"name": True})
            return target["name"]
    labels = [norm(label.get_text()) for label in form.find_all("label")]
    raise AssertionError(f"the form has no field {key!r}; its labels: {labels}")


def _value(form, name, value):
    """The value to post for `name`: an option or a radio named by its text is checked to be on the page."""
    if isinstance(value, SimpleUploadedFile):
        return value
    elements = form.find_all(attrs={"name": name})
    first = elements[0]
    if first.name == "select":
        options = {o.get("value", o.get_text()): norm(o.get_text()) for o in first.find_all("option")}
        values = value if isinstance(value, list) else [value]
        chosen = []
        for one in values:
            one = str(one)
            match = [v for v, text in options.items() if one in (v, text)]
            assert match, f"{name} offers no {one!r}; it offers {list(options.values())}"
            chosen.append(match[0])
        return chosen
    if first.get("type") in ("radio", "checkbox"):
        if value is True or value is False:
            return [first.get("value", "on")] if value else []
        values = value if isinstance(value, list) else [value]
        chosen = []
        for one in values:
            one = str(one)
            match = [e.get("value", "on") for e in elements if one in (e.get("value"), _label_of(form, e))]
            assert match, f"{name} offers no {one!r}; it offers {[_label_of(form, e) for e in elements]}"
            chosen.append(match[0])
        return chosen
    return [str(value)]


class Person:
    def __init__(self, name, email, password=None):
        self.name, self.email, self.password = name, email, password
        self.client = Client()
        self.checked = set()
        self.page = None

    def __repr__(self):
        return self.name

    # --- going somewhere -------------------------------------------------------------------------------------

    def open(self, url, *, status=200):
        """GET a page (following redirects) the way a browser does, check it and its links."""
        response = self.client.get(self._path(url), follow=True)
        return self._landed(response, status)

    def click(self, text, *, nth=0, status=200):
        return self.open(self.page.link(text, nth=nth), status=status)

    def submit(self, button, fields=None, *, nth=0, status=200, page=None):
        """Fill in the form of `button` on the current page with `fields` (by name or label) and send it."""
        page = page or self.page
        form, element = page.form(button, nth=nth)
        data = _form_data(form, element)
        files = False
        for key, value in (fields or {}).items():
            name = _field_name(form, key)
            data[name] = _value(form, name, value)
            files = files or isinstance(value, SimpleUploadedFile)
        action = urljoin(page.url, element.get("formaction") or form.get("action") or page.url)
        method = (form.get("method") or "get").lower()
        flat = {name: values if len(values) != 1 else values[0] for name, values in data.items()}
        flat = {name: value for name, value in flat.items() if value != []}
        if method == "get":
            response = self.client.get(self._path(action), flat, follow=True)
        else:
            response = self.client.post(self._path(action), flat, follow=True)
        return self._landed(response, status)

    def follow_mail(self, subject_part, *, link=r"https?://\S+"):
        """Open the link in the newest mail to this person whose subject holds `subject_part`."""
        message = self.mail(subject_part)
        url = re.search(link, message.body).group(0)
        return self.open(url)

    def mail(self, subject_part):
        mails = [m for m in mail.outbox if m.to == [self.email] and subject_part in m.subject]
        subjects = [m.subject for m in mail.outbox if m.to == [self.email]]
        assert mails, f"no mail to {self.email} about {subject_part!r}; their mails: {subjects}"
        return mails[-1]

    def log_in(self):
        self.client.logout()
        self.open("/")
        return self.submit("Inloggen", {"E-mailadres": self.email, "Wachtwoord": self.password})

    # --- what every page is checked for ---------------------------------------------------------------------

    def _path(self, url):
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _landed(self, response, status):
        page = Page(response)
        assert page.status == status, f"{self.name}: {page.url} answered {page.status}, not {status}"
        self._check(page)
        if page.is_html:
            self.page = page
            self._follow_links(page)
        return page

    def _check(self, page, via=None):
        where = f"{page.url}" + (f" (a link on {via})" if via else "")
        assert page.status < 400, f"{self.name}: {where} answered {page.status}"
        if page.is_html:
            assert page.soup.html is not None and page.soup.html.get("lang") == "nl", f"{where} is not in Dutch"
            # Django's admin (the beheer) is Django's own text, in part not translated in Django 6; not the portal's.
            english = None if page.url.startswith("/beheer/") else ENGLISH.search(page.all_text)
            assert english is None, f"{self.name}: {where} shows English: {english.group(0)!r}\n{page.all_text}"

    def _follow_links(self, page):
        if page.url.startswith("/beheer/"):
            return  # Django's admin: its links are Django's, and there are hundreds
        for a in page.soup.find_all("a", href=True):
            href = a["href"].split("#")[0]
            if not href or SKIPPED.match(a["href"]):
                continue
            parts = urlsplit(urljoin(page.url, href))
            if parts.netloc and parts.netloc not in ("testserver", "localhost:8000"):
                continue  # another site (SBB, the gids)
            path = self._path(parts.geturl())
            if path in self.checked:
                continue
            self.checked.add(path)
            response = self.client.get(path, follow=True)
            try:
                self._check(Page(response), via=page.url)
            finally:
                response.close()
