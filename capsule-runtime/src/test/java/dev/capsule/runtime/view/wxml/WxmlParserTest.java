package dev.capsule.runtime.view.wxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Golden tests: each WXML feature parses to the expected IR; each malformed input fails with its file:line:col. */
class WxmlParserTest {
    private static String ir(String wxml) throws WxmlException {
        return IrText.file(WxmlParser.parse("p.wxml", wxml));
    }

    private static void refused(String wxml, String message) {
        assertThatThrownBy(() -> WxmlParser.parse("p.wxml", wxml)).isInstanceOf(WxmlException.class).hasMessage(message);
    }

    @Test
    void elementsTextAttributesEntitiesAndComments() throws WxmlException {
        assertThat(ir("""
            <view id="main" class="a {{cls}}" style="color: {{c}}" hidden>Hello, {{name}}!</view>
            <input value="{{v}}"/>
            <!-- a comment -->
            <text>a &lt; b &amp;&amp; c &#x4e2d;&#25991; &bogus; &nbsp;</text>
            <view title="{{ a > b ? "yes" : 'no' }}" n={{ 1 }} bare=plain>x < y</view>""")).isEqualTo("""
            <view id="main" class="a " + {{cls}} style="color: " + {{c}} hidden="true"> @1:1
              text "Hello, " + {{name}} + "!" @1:63
            <input value={{v}}> @2:1
            <text> @4:1
              text "a < b && c 中文 &bogus;  " @4:7
            <view title={{((a > b) ? "yes" : "no")}} n={{1}} bare="plain"> @5:1
              text "x < y" @5:63
            """);
    }

    @Test
    void ifElifElseChainsAndBlocks() throws WxmlException {
        assertThat(ir("""
            <view wx:if="{{a}}">A</view>
            <view wx:elif="{{b}}">B</view>
            <view wx:else>C</view>
            <block wx:if="{{x}}"><text>t</text></block>""")).isEqualTo("""
            if
              when a
                <view> @1:1
                  text "A" @1:21
              when b
                <view> @2:1
                  text "B" @2:23
              else
                <view> @3:1
                  text "C" @3:15
            if
              when x
                block
                  <text> @4:22
                    text "t" @4:28
            """);
    }

    @Test
    void forWithItemIndexKeyAndForWrapsIf() throws WxmlException {
        assertThat(ir("""
            <view wx:for="{{list}}" wx:key="id">{{index}}: {{item.name}}</view>
            <view wx:for="{{list}}" wx:for-item="row" wx:for-index="i" wx:key="*this" wx:if="{{row.show}}">{{i}}</view>
            <block wx:for="abc">{{item}}</block>""")).isEqualTo("""
            for list item=item index=index key=id
              <view> @1:1
                text {{index}} + ": " + {{item.name}} @1:37
            for list item=row index=i key=*this
              if
                when row.show
                  <view> @2:1
                    text {{i}} @2:96
            for "abc" item=item index=index
              block
                text {{item}} @3:21
            """);
    }

    @Test
    void importWxsTemplatesAndInclude() throws WxmlException {
        assertThat(ir("""
            <import src="./common.wxml"/>
            <wxs module="m">module.exports = { f: function (x) { return x < 1 && "</view>" } };</wxs>
            <wxs module="u" src="../utils/u.wxs"/>
            <template name="card"><view>{{title}}</view></template>
            <template is="card" data="{{...item, title}}"/>
            <template is="{{kind}}" data="{{title: t, n: 1}}"/>
            <template is="card" data="{{item}}"/>
            <include src="/parts/footer"/>""")).isEqualTo("""
            import ./common.wxml @1:1
            wxs m inline="module.exports = { f: function (x) { return x < 1 && \\"</view>\\" } };" @2:1
            wxs u src=../utils/u.wxs @3:1
            template card @4:1
              <view> @4:23
                text {{title}} @4:29
            use "card" data={...item, title: title} @5:1
            use {{kind}} data={title: t, n: 1} @6:1
            use "card" data={item: item} @7:1
            include /parts/footer
            """);
    }

    @Test
    void slotsAndSlotAttribute() throws WxmlException {
        assertThat(ir("""
            <slot/>
            <slot name="head"></slot>
            <view slot="head">h</view>""")).isEqualTo("""
            slot ""
            slot "head"
            <view slot="head"> @3:1
              text "h" @3:19
            """);
    }

    @Test
    void everyEventPrefixFormMarksAndDataset() throws WxmlException {
        assertThat(ir("""
            <view bindtap="a" bind:longpress="b" catchtap="c" catch:touchstart="d" capture-bind:tap="e" capture-catch:tap="f" mut-bind:tap="g" mut-bindinput="h" bindtouchend="{{handler}}"/>
            <view mark:id="{{id}}" mark:kind="x" data-foo-bar="1" data-Camel="2" data-a_b-c="{{3}}"/>""")).isEqualTo("""
            <view on.BIND.tap="a" on.BIND.longpress="b" on.CATCH.tap="c" on.CATCH.touchstart="d" on.CAPTURE_BIND.tap="e" on.CAPTURE_CATCH.tap="f" on.MUT_BIND.tap="g" on.MUT_BIND.input="h" on.BIND.touchend={{handler}}> @1:1
            <view dataset.a_bC={{3}} dataset.camel="2" dataset.fooBar="1" mark.id={{id}} mark.kind="x"> @2:1
            """);
    }

    @Test
    void unclosedTag() {
        refused("""
            <view>""", "p.wxml:1:1: <view> is not closed");
    }

    @Test
    void mismatchedClosingTag() {
        refused("""
            <view></text>""", "p.wxml:1:7: </text> does not close <view> opened at 1:1");
    }

    @Test
    void closingTagWithoutOpening() {
        refused("""
            </view>""", "p.wxml:1:1: </view> closes no open tag");
    }

    @Test
    void unclosedHole() {
        refused("""
            <view>{{ a </view>""", "p.wxml:1:7: {{ is not closed by }}");
    }

    @Test
    void assignmentRefused() {
        refused("""
            <view>{{ a = 1 }}</view>""", "p.wxml:1:12: unexpected character '=' (expected }})");
    }

    @Test
    void unknownWxAttribute() {
        refused("""
            <view wx:iff="{{a}}"/>""", "p.wxml:1:7: unknown attribute wx:iff (wx: attributes are if, elif, else, for, for-item, for-index, key)");
    }

    @Test
    void elseWithoutIf() {
        refused("""
            <view wx:else/>""", "p.wxml:1:1: wx:else without a preceding wx:if");
    }

    @Test
    void duplicateAttribute() {
        refused("""
            <view a="1" a="2"/>""", "p.wxml:1:13: duplicate attribute a");
    }

    @Test
    void nestedTemplateDefinition() {
        refused("""
            <view><template name="x"/></view>""", "p.wxml:1:7: <template> belongs at the top level of a file");
    }

    @Test
    void instanceofRefused() {
        refused("""
            <view>{{ a instanceof b }}</view>""", "p.wxml:1:12: instanceof is not supported in templates");
    }

    @Test
    void callOfNonModuleMember() {
        refused("""
            <view>{{ a[0].c(1) }}</view>""", "p.wxml:1:16: only a WXS module's function can be called: module.function(...)");
    }

    @Test
    void callOfBareFunction() {
        refused("""
            <view>{{ f(1) }}</view>""", "p.wxml:1:11: only a WXS module's function can be called: module.function(...)");
    }

    @Test
    void arrowFunctionRefused() {
        refused("""
            <view>{{ (x) => x }}</view>""", "p.wxml:1:14: unexpected character '=' (expected }})");
    }

    @Test
    void templateLiteralRefused() {
        refused("""
            <view>{{ `t` }}</view>""", "p.wxml:1:10: template literals are not supported in templates");
    }

    @Test
    void optionalChainingRefused() {
        refused("""
            <view>{{ a?.b }}</view>""", "p.wxml:1:11: unexpected character '?' (expected }})");
    }

    @Test
    void unknownAttributePrefix() {
        refused("""
            <view worklet:x="1"/>""", "p.wxml:1:7: unknown attribute prefix worklet: (known: bind, catch, capture-bind, capture-catch, mut-bind, mark, generic, model)");
    }

    @Test
    void emptyHole() {
        refused("""
            <view>
              <text>
                {{ }}
              </text>
            </view>""", "p.wxml:3:8: empty expression in {{ }}");
    }

    @Test
    void wxsWithSrcAndBody() {
        refused("""
            <wxs module="m" src="a.wxs">x</wxs>""", "p.wxml:1:1: <wxs> has either a src or a body, not both");
    }

    @Test
    void templateDataNotOneHole() {
        refused("""
            <template is="a" data="{{a}}x"/>""", "p.wxml:1:18: data takes one {{ }}: data=\"{{a, b: 1, ...c}}\"");
    }

    @Test
    void forWithElse() {
        refused("""
            <view wx:for="{{a}}" wx:else/>""", "p.wxml:1:1: wx:else without a preceding wx:if");
    }

    @Test
    void keyWithoutFor() {
        refused("""
            <view wx:key="id"/>""", "p.wxml:1:7: wx:key without wx:for");
    }

    @Test
    void objectAndArrayLiteralsInText() throws WxmlException {
        assertThat(ir("""
            <view>{{ {a: 1}.a }} {{[1,,2]}} {{ {a, ...b} }}</view>""")).isEqualTo("""
            <view> @1:1
              text {{{a: 1}.a}} + " " + {{[1, <hole>, 2]}} + " " + {{{a: a, ...b}}} @1:7
            """);
    }

    @Test
    void objectLiteralWithoutBraces() throws WxmlException {
        assertThat(ir("""
            <view>{{ a, b: 2 }}</view>""")).isEqualTo("""
            <view> @1:1
              text {{{a: a, b: 2}}} @1:7
            """);
    }

    @Test
    void controlValuesAreOneExpressionOrPlainText() throws WxmlException {
        assertThat(ir("<view wx:if=\"yes\"/><view wx:for=\"{{n}}\" wx:key=\"{{item.id}}\"/>")).isEqualTo("""
                if
                  when "yes"
                    <view> @1:1
                for n item=item index=index
                  <view> @1:20
                """);
        refused("<view wx:if=\"{{a}} \"/>", "p.wxml:1:7: wx:if takes one {{ }} expression and nothing around it");
        refused("<view wx:for=\"{{a}}\" wx:for-item=\"a b\"/>", "p.wxml:1:22: wx:for-item is a name like item or i");
    }

    @Test
    void limitsAreRefusedWithPositions() {
        refused("<a>".repeat(WxmlParser.DEPTH_MAX + 1), "p.wxml:1:" + (3 * WxmlParser.DEPTH_MAX + 1) + ": elements nest deeper than " + WxmlParser.DEPTH_MAX);
        StringBuilder attrs = new StringBuilder("<view");
        for (int i = 0; i <= WxmlParser.ATTRIBUTES_MAX; i++) {
            attrs.append(" a").append(i);
        }
        refused(attrs + "/>", "p.wxml:1:" + (7 + 3 * 10 + 4 * 90 + 5 * (WxmlParser.ATTRIBUTES_MAX - 100)) + ": an element has at most "
                + WxmlParser.ATTRIBUTES_MAX + " attributes");
        refused("<v/>".repeat(WxmlParser.NODES_MAX + 1), "p.wxml:1:" + (4 * WxmlParser.NODES_MAX + 1) + ": a WXML file has at most "
                + WxmlParser.NODES_MAX + " nodes");
        assertThatThrownBy(() -> WxmlParser.parse("p.wxml", " ".repeat(WxmlParser.FILE_CHARS_MAX + 1)))
                .isInstanceOf(WxmlException.class).hasMessageContaining("at most " + WxmlParser.FILE_CHARS_MAX + " characters");
    }
}
