package org.buddycloud.channels.xmpp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.xmppkit.xml.XmlElement;

/** XEP-0004 data forms: building the ones we send, reading the ones clients submit. */
public final class DataForm {

    private final XmlElement x;

    private DataForm(XmlElement x) {
        this.x = x;
    }

    /** A new form of the given type ({@code form}, {@code result}, {@code submit}) and FORM_TYPE. */
    public static DataForm of(String type, String formType) {
        DataForm form = new DataForm(XmlElement.of("x", Namespaces.DATA).attr("type", type));
        if (formType != null) {
            form.field("FORM_TYPE", "hidden", null, formType);
        }
        return form;
    }

    public DataForm field(String var, String type, String label, String... values) {
        add(var, type, label, values);
        return this;
    }

    /**
     * A {@code list-single} or {@code list-multi} field with its {@code <option/>}s (XEP-0004 §3.3), which a form
     * to fill in offers; a result only reports the values chosen.
     */
    public DataForm listField(String var, String type, String label, List<String> options, String... values) {
        if (!type.equals("list-single") && !type.equals("list-multi")) {
            throw new IllegalArgumentException("not a list field type: " + type);
        }
        XmlElement field = add(var, type, label, values);
        if ("form".equals(x.attr("type"))) {
            options.forEach(option -> field.add("option").addText("value", option));
        }
        return this;
    }

    private XmlElement add(String var, String type, String label, String... values) {
        XmlElement field = x.add("field").attr("var", var).attr("type", type).attr("label", label);
        for (String value : values) {
            if (value != null) {
                field.addText("value", value);
            }
        }
        return field;
    }

    public XmlElement element() {
        return x;
    }

    /** The values of a submitted form, by field; empty when the element carries no form. */
    public static Map<String, List<String>> values(XmlElement parent) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Optional<XmlElement> form = parent.element("x", Namespaces.DATA);
        form.ifPresent(x -> x.elements("field", Namespaces.DATA).forEach(field -> {
            List<String> fieldValues = new ArrayList<>();
            field.elements("value", Namespaces.DATA).forEach(v -> fieldValues.add(v.text()));
            values.put(field.attr("var"), fieldValues);
        }));
        return values;
    }

    /** An XEP-0004 boolean field: {@code true} or {@code 1} is true, anything else false; empty when absent. */
    public static Optional<Boolean> flag(Map<String, List<String>> values, String var) {
        return first(values, var).map(v -> v.equals("true") || v.equals("1"));
    }

    public static Optional<String> first(Map<String, List<String>> values, String var) {
        List<String> found = values.get(var);
        return found == null || found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
}
