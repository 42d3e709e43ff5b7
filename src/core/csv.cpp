#include "src/core/csv.hpp"

#include "src/core/error.hpp"

namespace careerbot::csv {

std::string field(std::string_view value) {
    const bool formula = !value.empty() &&
                         std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos;
    if (!formula && value.find_first_of(",\"\n\r") == std::string_view::npos)
        return std::string(value);
    std::string out = formula ? "\"'" : "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::vector<Row> parse(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<Row> rows;
    Row row;
    std::string field;
    std::size_t line = 1;
    row.line = 1;
    bool in_quotes = false;
    bool field_started = false;
    std::size_t quote_line = 0;
    auto end_field = [&] {
        row.fields.push_back(std::move(field));
        field.clear();
        field_started = false;
    };
    auto end_row = [&] {
        end_field();
        bool blank = row.fields.size() == 1 && row.fields[0].empty();
        if (!blank) rows.push_back(std::move(row));
        row = Row{};
        row.line = line;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    in_quotes = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && !field_started) {
            in_quotes = true;
            field_started = true;
            quote_line = line;
        } else if (c == ',') {
            end_field();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n') {
            ++line;
            end_row();
        } else {
            field += c;
            field_started = true;
        }
    }
    if (in_quotes) {
        throw UserError("line " + std::to_string(quote_line) + ": a quoted field is never closed");
    }
    if (field_started || !field.empty() || !row.fields.empty()) end_row();
    return rows;
}

}  // namespace careerbot::csv
