from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'edition.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_main_lang = resolve('main_lang')
    l_0_csp = resolve('csp')
    l_0_title = resolve('title')
    l_0_numbering = resolve('numbering')
    l_0_css = resolve('css')
    l_0_toc = resolve('toc')
    l_0_pages = resolve('pages')
    l_0_data = resolve('data')
    l_0_js = resolve('js')
    l_0_page_text = l_0_legend = l_0_original_text = missing
    try:
        t_1 = environment.filters['urlencode']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'urlencode' found.")
    try:
        t_2 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    included_template = environment.get_template('_page.html', 'edition.html')._get_default_module(context)
    l_0_page_text = getattr(included_template, 'page_text', missing)
    if l_0_page_text is missing:
        l_0_page_text = undefined(f"the template {included_template.__name__!r} (imported on line 3 in 'edition.html') does not export the requested name 'page_text'", name='page_text')
    l_0_legend = getattr(included_template, 'legend', missing)
    if l_0_legend is missing:
        l_0_legend = undefined(f"the template {included_template.__name__!r} (imported on line 3 in 'edition.html') does not export the requested name 'legend'", name='legend')
    l_0_original_text = getattr(included_template, 'original_text', missing)
    if l_0_original_text is missing:
        l_0_original_text = undefined(f"the template {included_template.__name__!r} (imported on line 3 in 'edition.html') does not export the requested name 'original_text'", name='original_text')
    context.vars.update({'page_text': l_0_page_text, 'legend': l_0_legend, 'original_text': l_0_original_text})
    context.exported_vars.difference_update(('page_text', 'legend', 'original_text'))
    yield '<!doctype html>\n<html lang="'
    yield escape(((undefined(name='main_lang') if l_0_main_lang is missing else l_0_main_lang) or 'en'))
    yield '"><head><meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta http-equiv="Content-Security-Policy" content="'
    yield escape((undefined(name='csp') if l_0_csp is missing else l_0_csp))
    yield '">\n<meta name="referrer" content="no-referrer">\n<meta name="generator" content="reissue">\n<title>'
    yield escape((undefined(name='title') if l_0_title is missing else l_0_title))
    yield ' '
    yield escape((undefined(name='numbering') if l_0_numbering is missing else l_0_numbering))
    yield '</title>\n<link rel="icon" href="data:,">\n<style>'
    yield escape((undefined(name='css') if l_0_css is missing else l_0_css))
    yield '\n#results[hidden] { display: none; }\n.results-head { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }\n.results-head p { margin: 0; }\n#results { margin: 0 0 1rem; }\n#results ol { max-height: 22rem; overflow: auto; margin: .6rem 0 0; }\n.page-head { font: 600 .78rem var(--sans); text-transform: uppercase; letter-spacing: .07em; color: var(--muted); border-top: 1px solid var(--line); padding-top: .6rem; }\n.js .page-text:not(.current), .js .page-raw:not(.current), .js .page-head, html:not(.js) .nojs-hide { display: none; }\n</style>\n<script>document.documentElement.className += " js";</script>\n</head><body>\n<a class="skip" href="#reader">Skip to the text</a>\n<header class="bar"><div class="bar-in"><span class="brand">reissue<small>edition</small></span></div></header>\n<main id="main">\n<h1><span id="title">'
    yield escape((undefined(name='title') if l_0_title is missing else l_0_title))
    yield '</span> <span class="muted" id="issue">'
    yield escape((undefined(name='numbering') if l_0_numbering is missing else l_0_numbering))
    yield '</span></h1>\n'
    if (undefined(name='toc') if l_0_toc is missing else l_0_toc):
        pass
        yield '<details id="contents"><summary>Contents</summary><ol class="toc" id="toc">\n'
        for l_1_a in (undefined(name='toc') if l_0_toc is missing else l_0_toc):
            _loop_vars = {}
            pass
            yield '<li><a href="#p='
            yield escape(t_1(environment.getattr(l_1_a, 'key')))
            yield '&amp;at='
            yield escape(t_1(environment.getattr(l_1_a, 'at')))
            yield '">'
            yield escape((environment.getattr(l_1_a, 'title') or 'Untitled article'))
            yield '</a>'
            if environment.getattr(l_1_a, 'byline'):
                pass
                yield '<div class="byline">'
                yield escape(environment.getattr(l_1_a, 'byline'))
                yield '</div>'
            yield '</li>\n'
        l_1_a = missing
        yield '</ol></details>'
    yield '<div class="reader" id="reader">\n<nav class="pagelist" aria-label="Pages"><h2>Pages</h2><ol id="pagelist">\n'
    for l_1_p in (undefined(name='pages') if l_0_pages is missing else l_0_pages):
        _loop_vars = {}
        pass
        yield '<li><a href="#p='
        yield escape(t_1(environment.getattr(l_1_p, 'key')))
        yield '" data-page="'
        yield escape(environment.getattr(l_1_p, 'idx'))
        yield '">'
        yield escape((environment.getattr(l_1_p, 'number') if (not t_2(environment.getattr(l_1_p, 'number'))) else markup_join(('[', (environment.getattr(l_1_p, 'idx') + 1), ']', ))))
        yield '</a></li>\n'
    l_1_p = missing
    yield '</ol></nav>\n<div>\n<div class="toolbar nojs-hide"><div class="nav">\n<a class="btn" id="prev" rel="prev" href="#">← Previous</a>\n<span class="pageno" id="pageno" aria-live="polite"></span>\n<a class="btn" id="next" rel="next" href="#">Next →</a></div>\n<div class="tools"><a class="btn" id="toggle-original" role="button" aria-pressed="false" href="#">Original OCR</a>\n<form id="search-form" role="search"><label class="visually-hidden" for="q">Search this issue</label>\n<input id="q" type="search" placeholder="Search this issue" maxlength="500"><button type="submit">Find</button></form></div></div>\n<section id="results" class="pane" hidden aria-label="Search results"><div class="results-head"><p id="results-count" role="status"></p>\n<button type="button" id="results-close">Close</button></div><ol class="hits" id="results-list"></ol></section>\n<div class="views">\n<section class="pane clean" aria-label="Reading text"><h2><span>Reading text</span><span id="clean-label"></span></h2><div class="text" id="text">\n'
    for l_1_p in (undefined(name='pages') if l_0_pages is missing else l_0_pages):
        l_1_page_label = resolve('page_label')
        l_1_text_of = resolve('text_of')
        l_1_href = resolve('href')
        l_1_blocks = l_1_notes = missing
        _loop_vars = {}
        pass
        yield '<div class="page-text" id="page-'
        yield escape(environment.getattr(l_1_p, 'key'))
        yield '" data-page="'
        yield escape(environment.getattr(l_1_p, 'idx'))
        yield '" data-key="'
        yield escape(environment.getattr(l_1_p, 'key'))
        yield '" data-label="'
        yield escape(context.call((undefined(name='page_label') if l_1_page_label is missing else l_1_page_label), l_1_p, _loop_vars=_loop_vars))
        yield '" data-source="'
        yield escape(environment.getattr(l_1_p, 'source'))
        yield '">\n<h2 class="page-head">'
        yield escape(context.call((undefined(name='page_label') if l_1_page_label is missing else l_1_page_label), l_1_p, _loop_vars=_loop_vars))
        yield '</h2>\n'
        (l_1_blocks, l_1_notes) = context.call((undefined(name='text_of') if l_1_text_of is missing else l_1_text_of), l_1_p, _loop_vars=_loop_vars)
        _loop_vars.update({'blocks': l_1_blocks, 'notes': l_1_notes})
        yield escape(context.call((undefined(name='page_text') if l_0_page_text is missing else l_0_page_text), (undefined(name='blocks') if l_1_blocks is missing else l_1_blocks), (undefined(name='notes') if l_1_notes is missing else l_1_notes), (undefined(name='main_lang') if l_0_main_lang is missing else l_0_main_lang), (undefined(name='href') if l_1_href is missing else l_1_href), ids_on_runon=False, _loop_vars=_loop_vars))
        yield '\n</div>\n'
    l_1_p = l_1_page_label = l_1_text_of = l_1_blocks = l_1_notes = l_1_href = missing
    yield '</div></section>\n<section class="pane original" aria-label="Original OCR"><h2><span>Original OCR</span><span id="raw-source"></span></h2>\n'
    yield escape(context.call((undefined(name='legend') if l_0_legend is missing else l_0_legend)))
    yield '\n'
    for l_1_p in (undefined(name='pages') if l_0_pages is missing else l_0_pages):
        l_1_original_of = resolve('original_of')
        _loop_vars = {}
        pass
        yield '<div class="page-raw" data-page="'
        yield escape(environment.getattr(l_1_p, 'idx'))
        yield '">'
        yield escape(context.call((undefined(name='original_text') if l_0_original_text is missing else l_0_original_text), context.call((undefined(name='original_of') if l_1_original_of is missing else l_1_original_of), l_1_p, _loop_vars=_loop_vars), _loop_vars=_loop_vars))
        yield '</div>\n'
    l_1_p = l_1_original_of = missing
    yield '</section>\n</div></div></div>\n</main>\n<footer class="foot">Text produced by reissue from OCR. Every change is recorded; “Original OCR” shows the page as scanned text with each change marked.</footer>\n<script type="application/json" id="edition-data">'
    for l_1_chunk in (undefined(name='data') if l_0_data is missing else l_0_data):
        _loop_vars = {}
        pass
        yield escape(l_1_chunk)
    l_1_chunk = missing
    yield '</script>\n<script>'
    yield escape((undefined(name='js') if l_0_js is missing else l_0_js))
    yield '</script>\n</body></html>'

blocks = {}
debug_info = '3=33&5=46&7=48&10=50&12=54&26=56&27=60&28=63&32=82&46=94&47=102&48=112&49=114&50=116&55=120&56=122&62=133&63=139'