from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_page.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_page_text = l_0_legend = l_0_original_text = missing
    pass
    def macro(l_1_blocks, l_1_notes, l_1_main_lang, l_1_href, l_1_ids_on_runon):
        t_1 = []
        if l_1_blocks is missing:
            l_1_blocks = undefined("parameter 'blocks' was not provided", name='blocks')
        if l_1_notes is missing:
            l_1_notes = undefined("parameter 'notes' was not provided", name='notes')
        if l_1_main_lang is missing:
            l_1_main_lang = undefined("parameter 'main_lang' was not provided", name='main_lang')
        if l_1_href is missing:
            l_1_href = undefined("parameter 'href' was not provided", name='href')
        if l_1_ids_on_runon is missing:
            l_1_ids_on_runon = True
        pass
        if (not l_1_blocks):
            pass
            t_1.append(
                '<p class="empty">No body text on this page.</p>',
            )
        for l_2_b in l_1_blocks:
            l_2_page_label = resolve('page_label')
            l_2_bid = missing
            _loop_vars = {}
            pass
            l_2_bid = (environment.getattr(l_2_b, 'item') if (l_1_ids_on_runon or (not environment.getattr(l_2_b, 'runon'))) else None)
            _loop_vars['bid'] = l_2_bid
            if environment.getattr(l_2_b, 'heading'):
                pass
                t_1.append(
                    '<h3',
                )
                if (undefined(name='bid') if l_2_bid is missing else l_2_bid):
                    pass
                    t_1.extend((
                        ' id="',
                        escape((undefined(name='bid') if l_2_bid is missing else l_2_bid)),
                        '"',
                    ))
                t_1.extend((
                    ' data-item="',
                    escape(environment.getattr(l_2_b, 'item')),
                    '"',
                ))
                if environment.getattr(l_2_b, 'lang'):
                    pass
                    t_1.extend((
                        ' lang="',
                        escape(environment.getattr(l_2_b, 'lang')),
                        '"',
                    ))
                t_1.extend((
                    '>',
                    escape(environment.getattr(l_2_b, 'html')),
                    '</h3>\n',
                ))
            else:
                pass
                t_1.append(
                    '<p',
                )
                if (undefined(name='bid') if l_2_bid is missing else l_2_bid):
                    pass
                    t_1.extend((
                        ' id="',
                        escape((undefined(name='bid') if l_2_bid is missing else l_2_bid)),
                        '"',
                    ))
                if environment.getattr(l_2_b, 'runon'):
                    pass
                    t_1.append(
                        ' class="runon"',
                    )
                t_1.extend((
                    ' data-item="',
                    escape(environment.getattr(l_2_b, 'item')),
                    '"',
                ))
                if environment.getattr(l_2_b, 'lang'):
                    pass
                    t_1.extend((
                        ' lang="',
                        escape(environment.getattr(l_2_b, 'lang')),
                        '"',
                    ))
                t_1.append(
                    '>',
                )
                if environment.getattr(l_2_b, 'runon'):
                    pass
                    if environment.getattr(l_2_b, 'from'):
                        pass
                        t_1.extend((
                            '<a class="runon-from" href="',
                            escape(context.call(l_1_href, environment.getattr(l_2_b, 'from'), environment.getattr(l_2_b, 'item'), _loop_vars=_loop_vars)),
                            '">↪ continued from ',
                            escape(context.call((undefined(name='page_label') if l_2_page_label is missing else l_2_page_label), environment.getattr(l_2_b, 'from'), _loop_vars=_loop_vars)),
                            '</a>',
                        ))
                    else:
                        pass
                        t_1.append(
                            '<span class="runon-from">↪ continued</span>',
                        )
                if (environment.getattr(l_2_b, 'lang') and (environment.getattr(l_2_b, 'lang') != l_1_main_lang)):
                    pass
                    t_1.extend((
                        '<span class="lang" title="language">',
                        escape(environment.getattr(l_2_b, 'lang')),
                        '</span>',
                    ))
                t_1.append(
                    escape(environment.getattr(l_2_b, 'html')),
                )
                if environment.getattr(l_2_b, 'to'):
                    pass
                    t_1.extend((
                        ' <a class="runon-to" href="',
                        escape(context.call(l_1_href, environment.getattr(l_2_b, 'to'), environment.getattr(l_2_b, 'item'), _loop_vars=_loop_vars)),
                        '">continues on ',
                        escape(context.call((undefined(name='page_label') if l_2_page_label is missing else l_2_page_label), environment.getattr(l_2_b, 'to'), _loop_vars=_loop_vars)),
                        ' →</a>',
                    ))
                t_1.append(
                    '</p>\n',
                )
        l_2_b = l_2_bid = l_2_page_label = missing
        if l_1_notes:
            pass
            t_1.append(
                '<aside class="notes" aria-label="Notes"><h3>Notes</h3><ol>\n',
            )
            for l_2_n in l_1_notes:
                _loop_vars = {}
                pass
                t_1.extend((
                    '<li id="fn-',
                    escape(environment.getattr(l_2_n, 'item')),
                    '"><span>',
                    escape((environment.getattr(l_2_n, 'marker') or '•')),
                    '</span><span id="',
                    escape(environment.getattr(l_2_n, 'item')),
                    '" data-item="',
                    escape(environment.getattr(l_2_n, 'item')),
                    '"',
                ))
                if environment.getattr(l_2_n, 'lang'):
                    pass
                    t_1.extend((
                        ' lang="',
                        escape(environment.getattr(l_2_n, 'lang')),
                        '"',
                    ))
                t_1.extend((
                    '>',
                    escape(environment.getattr(l_2_n, 'html')),
                ))
                if environment.getattr(l_2_n, 'back'):
                    pass
                    t_1.extend((
                        ' <a href="#fnref-',
                        escape(environment.getattr(l_2_n, 'item')),
                        '" data-back="',
                        escape(environment.getattr(l_2_n, 'item')),
                        '" aria-label="back to the text">↩</a>',
                    ))
                t_1.append(
                    '</span></li>\n',
                )
            l_2_n = missing
            t_1.append(
                '</ol></aside>',
            )
        return concat(t_1)
    context.exported_vars.add('page_text')
    context.vars['page_text'] = l_0_page_text = Macro(environment, macro, 'page_text', ('blocks', 'notes', 'main_lang', 'href', 'ids_on_runon'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro():
        t_2 = []
        pass
        t_2.append(
            '<ul class="legend"><li><i class="e-correct"></i>corrected</li><li><i class="e-correct doubt"></i>uncertain correction</li><li><i class="e-furniture"></i>removed page furniture</li><li><i class="e-reflow"></i>joined line/hyphen</li><li><i class="e-notes"></i>note layout</li></ul>',
        )
        return concat(t_2)
    context.exported_vars.add('legend')
    context.vars['legend'] = l_0_legend = Macro(environment, macro, 'legend', (), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_original):
        t_3 = []
        if l_1_original is missing:
            l_1_original = undefined("parameter 'original' was not provided", name='original')
        pass
        t_3.extend((
            '<pre class="raw">',
            escape(l_1_original),
            '</pre>',
        ))
        return concat(t_3)
    context.exported_vars.add('original_text')
    context.vars['original_text'] = l_0_original_text = Macro(environment, macro, 'original_text', ('original',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '5=12&6=25&7=30&8=35&9=37&10=71&13=137&14=142&18=187&20=197'